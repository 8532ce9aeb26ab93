import pytest

from reservations.models import Reservation, RoomType
from security.api_keys import api_key_create
from security.models import ApiKey
from tenants.models import Tenant

from .pages import admin_url, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_hotels(tenant, other_tenant, standard, other_standard, book):
    """Each hotel has a room type, a reservation and an API key."""
    api_key_create(tenant=tenant, name="sol key")
    api_key_create(tenant=other_tenant, name="harbor key")
    return book(tenant), book(other_tenant, guest_phone="+12125550123")


@pytest.mark.parametrize("model", [Reservation, RoomType, ApiKey])
def test_change_list_shows_only_their_hotels_rows(as_staff, tenant, both_hotels, model):
    response = as_staff.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert {row.tenant_id for row in rows(response)} == {tenant.pk}


def test_hotel_list_shows_only_their_hotel(as_staff, tenant, other_tenant):
    response = as_staff.get(admin_url(Tenant, "changelist"))

    assert rows(response) == [tenant]
    assert "Harbor Inn" not in response.content.decode()


def test_another_hotels_reservation_is_not_found(as_staff, both_hotels):
    _ours, theirs = both_hotels

    response = as_staff.get(admin_url(Reservation, "change", theirs.pk))

    # Django's admin answers a row outside the queryset with a redirect to its index.
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_another_hotel_is_not_found(as_manager, other_tenant):
    response = as_manager.get(admin_url(Tenant, "change", other_tenant.pk))

    assert response.status_code == 302
    assert response.url == "/admin/"


def test_another_hotel_cannot_be_picked_when_adding_a_room_type(as_manager, other_tenant):
    response = as_manager.post(admin_url(RoomType, "add"), {
        "tenant": other_tenant.pk, "code": "loft", "name": "Loft", "max_guests": 2,
        "base_rate": "120.00", "room_count": 2,
    })

    assert response.status_code == 200
    assert "tenant" in response.context["adminform"].form.errors
    assert not RoomType.objects.with_scopes_disabled().filter(code="loft").exists()


def test_hotel_autocomplete_lists_only_their_hotel(as_manager, tenant, other_tenant):
    response = as_manager.get("/admin/autocomplete/", {
        "app_label": "reservations", "model_name": "roomtype", "field_name": "tenant", "term": "",
    })

    assert [result["text"] for result in response.json()["results"]] == ["Hotel Sol"]


def test_hotel_filter_of_a_change_list_names_only_their_hotel(as_staff, both_hotels):
    response = as_staff.get(admin_url(Reservation, "changelist"))

    assert "Harbor" not in response.content.decode()
