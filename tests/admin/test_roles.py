"""Managers look after their hotel's set-up; staff look things up."""
import pytest

from reservations.models import RoomType
from security.models import ApiKey, AuditEvent
from tenants.models import Tenant

from .pages import admin_url, rows

pytestmark = pytest.mark.django_db


def test_staff_see_room_types_read_only(as_staff, standard):
    response = as_staff.get(admin_url(RoomType, "change", standard.pk))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


def test_staff_cannot_change_a_room_type(as_staff, standard):
    response = as_staff.post(admin_url(RoomType, "change", standard.pk), {
        "code": "standard", "name": "Renamed", "max_guests": 2, "base_rate": "1.00", "room_count": 3,
    })

    assert response.status_code == 403
    standard.refresh_from_db()
    assert standard.name == "Standard"


def test_staff_cannot_add_api_keys(as_staff):
    assert as_staff.get(admin_url(ApiKey, "add")).status_code == 403


def test_manager_edits_their_hotels_profile(as_manager, tenant):
    response = as_manager.get(admin_url(Tenant, "change", tenant.pk))

    assert response.context["has_change_permission"] is True
    assert "slug" not in response.context["adminform"].form.fields  # shown, not editable


def test_only_superusers_add_hotels(as_manager):
    assert as_manager.get(admin_url(Tenant, "add")).status_code == 403


def test_staff_do_not_read_the_audit_trail(as_staff):
    assert as_staff.get(admin_url(AuditEvent, "changelist")).status_code == 403


def test_manager_of_one_hotel_and_staff_of_another_changes_only_the_first(
    client, manager, tenant, other_tenant, standard, other_standard
):
    from tests.factories import MembershipFactory

    MembershipFactory(user=manager, tenant=other_tenant)
    client.force_login(manager)

    listed = rows(client.get(admin_url(RoomType, "changelist")))
    theirs = client.get(admin_url(RoomType, "change", other_standard.pk))

    assert set(listed) == {standard, other_standard}
    assert theirs.context["has_change_permission"] is False
