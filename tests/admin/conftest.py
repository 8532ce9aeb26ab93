"""People at two hotels, signed in to the admin.

`tenant` (Hotel Sol) is where the signed-in members work; `other_tenant`
(Harbor Inn) is the hotel they must never see."""
import pytest

from reservations.services import reservation_create
from tenants.models import TenantMembership
from tests.factories import MembershipFactory, RoomTypeFactory, UserFactory, stay


@pytest.fixture
def manager(tenant):
    return MembershipFactory(tenant=tenant, role=TenantMembership.Role.MANAGER).user


@pytest.fixture
def staff_member(tenant):
    return MembershipFactory(tenant=tenant, role=TenantMembership.Role.STAFF).user


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def as_staff(client, staff_member):
    client.force_login(staff_member)
    return client


@pytest.fixture
def as_superuser(client, db):
    client.force_login(UserFactory(is_superuser=True))
    return client


@pytest.fixture
def other_standard(other_tenant):
    return RoomTypeFactory(tenant=other_tenant, code="standard", name="Harbor Standard")


@pytest.fixture
def book():
    """Book through the service, as the API does: book(tenant, guest_email=...)."""

    def book(tenant, room_type="standard", **overrides):
        check_in, check_out = stay(tenant=tenant)
        fields = dict(
            room_type=room_type, check_in=check_in, check_out=check_out, guests=2,
            guest_name="Ana García", guest_email="ana@example.com", guest_phone="612345678",
            source="api",
        )
        fields.update(overrides)
        return reservation_create(tenant=tenant, **fields)

    return book

