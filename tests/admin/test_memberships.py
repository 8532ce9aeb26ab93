import pytest

from tenants.models import TenantMembership
from tests.factories import MembershipFactory, UserFactory

from .pages import admin_url

pytestmark = pytest.mark.django_db


def add_membership(client, user, tenant, role="staff"):
    data = {"user": user.pk, "tenant": tenant.pk, "role": role}
    return client.post(admin_url(TenantMembership, "add"), data)


def test_manager_makes_a_colleague_manager(as_manager, tenant):
    membership = MembershipFactory(tenant=tenant, role="staff")

    response = as_manager.post(admin_url(TenantMembership, "change", membership.pk), {"role": "manager"})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "manager"


def test_manager_cannot_enlist_someone_who_does_not_work_with_them(as_manager, tenant):
    stranger = UserFactory()

    response = add_membership(as_manager, stranger, tenant)

    assert "user" in response.context["adminform"].form.errors


def test_staff_cannot_hand_out_roles(as_staff, staff_member, tenant):
    response = add_membership(as_staff, staff_member, tenant, role="manager")

    assert response.status_code == 403
