import pytest
from django.core.exceptions import ValidationError
from django_scopes import ScopeError

from reservations.models import IdempotentRequest, NightlyInventory, Reservation, RoomType
from reservations.selectors import availability_for, reservation_get, reservations_for, room_types_for
from reservations.services import reservation_create
from security.models import ApiKey, AuditEvent, BlacklistEntry
from tenants.models import ChannelAccount, GuestIdentifier, Tenant, TenantMembership
from tenants.selectors import tenants_for_user
from tests.factories import MembershipFactory, RoomTypeFactory, stay

pytestmark = pytest.mark.django_db

TENANT_OWNED = [
    Reservation, RoomType, NightlyInventory, IdempotentRequest, ChannelAccount, GuestIdentifier,
    TenantMembership, ApiKey, AuditEvent, BlacklistEntry,
]


@pytest.mark.parametrize("model", TENANT_OWNED, ids=lambda model: model.__name__)
def test_query_without_a_scope_fails_loudly(model):
    with pytest.raises(ScopeError):
        list(model.objects.all())


def book(tenant, room_type: str, email: str):
    check_in, check_out = stay(tenant=tenant)
    return reservation_create(
        tenant=tenant, room_type=room_type, check_in=check_in, check_out=check_out, guests=1,
        guest_name="Guest", guest_email=email, guest_phone="+34612345678", source="api",
    )


@pytest.fixture
def two_hotels(tenant, other_tenant, standard):
    RoomTypeFactory(tenant=other_tenant, code="harbor-view", max_guests=2)
    mine = book(tenant, "standard", "mine@example.com")
    theirs = book(other_tenant, "harbor-view", "theirs@example.com")
    return mine, theirs


def test_room_types_of_another_hotel_are_invisible(tenant, two_hotels):
    assert [room_type.code for room_type in room_types_for(tenant=tenant)] == ["standard"]


def test_reservations_of_another_hotel_are_invisible(tenant, two_hotels):
    mine, _theirs = two_hotels

    assert list(reservations_for(tenant=tenant)) == [mine]
    assert not reservations_for(tenant=tenant, guest_email="theirs@example.com").exists()


def test_another_hotels_reservation_code_is_not_found(tenant, two_hotels):
    _mine, theirs = two_hotels

    with pytest.raises(Reservation.DoesNotExist):
        reservation_get(tenant=tenant, code=theirs.code)


def test_availability_offers_only_the_hotels_own_room_types(tenant, two_hotels):
    check_in, check_out = stay(tenant=tenant)

    availability = availability_for(tenant=tenant, check_in=check_in, check_out=check_out, guests=1)

    assert [offer.room_type.code for offer in availability.offers] == ["standard"]


def test_another_hotels_room_type_cannot_be_booked(tenant, two_hotels):
    with pytest.raises(ValidationError) as error:
        book(tenant, "harbor-view", "sneaky@example.com")

    assert "room_type" in error.value.message_dict


def test_staff_see_only_the_hotels_they_belong_to(tenant, other_tenant):
    membership = MembershipFactory(tenant=tenant)

    assert list(tenants_for_user(membership.user)) == [tenant]


def test_default_tenant_exists_after_migrations():
    default = Tenant.objects.get(slug="default")

    assert default.timezone == "UTC"


@pytest.mark.parametrize(("field", "value"), [
    ("timezone", "Mars/Olympus_Mons"),
    ("timezone", "utc+2"),
    ("country", "XX"),
    ("country", "es"),
    ("country", "ZZ"),
    ("country", "EU"),
    ("currency", "ABC"),
    ("currency", "eur"),
])
def test_tenant_refuses_unknown_reference_codes(field, value):
    hotel = Tenant(slug="hotel-luna", name="Hotel Luna", **{field: value})

    with pytest.raises(ValidationError) as error:
        hotel.full_clean()

    assert list(error.value.message_dict) == [field]


def test_tenant_accepts_real_reference_codes():
    Tenant(slug="hotel-luna", name="Hotel Luna", timezone="Asia/Tokyo", country="JP",
           currency="JPY").full_clean()
