import datetime

import pytest
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory, RoomType
from tenants.models import Tenant

from .pages import admin_url, change_form_data, messages_of

pytestmark = pytest.mark.django_db


def nights_of(room_type_code, tenant):
    with scopes_disabled():
        return NightlyInventory.objects.filter(room_type__tenant=tenant, room_type__code=room_type_code)


def test_adding_a_room_type_opens_a_year_of_inventory(as_manager, tenant):
    response = as_manager.post(admin_url(RoomType, "add"), {
        "tenant": tenant.pk, "code": "loft", "name": "Loft", "max_guests": 2,
        "base_rate": "120.00", "room_count": 4,
    }, follow=True)

    nights = nights_of("loft", tenant)
    assert nights.count() == 365
    assert set(nights.values_list("rooms_total", flat=True)) == {4}
    assert nights.order_by("date").first().date == tenant.local_today()
    assert "Loft (loft): 365 nights opened, future nights follow the room count." in messages_of(response)


def test_changing_the_room_count_resizes_future_nights(as_manager, standard):
    response = as_manager.post(admin_url(RoomType, "change", standard.pk), {
        "code": "standard", "name": "Standard", "max_guests": 2, "base_rate": "100.00", "room_count": 7,
    })

    assert response.status_code == 302
    assert set(nights_of("standard", standard.tenant).values_list("rooms_total", flat=True)) == {7}


def test_room_type_added_on_the_hotel_screen_opens_inventory(as_manager, tenant):
    data = change_form_data(as_manager.get(admin_url(Tenant, "change", tenant.pk)))
    data.update({
        "room_types-TOTAL_FORMS": "1",
        "room_types-0-code": "suite", "room_types-0-name": "Suite", "room_types-0-max_guests": "4",
        "room_types-0-base_rate": "260.00", "room_types-0-room_count": "3",
    })

    response = as_manager.post(admin_url(Tenant, "change", tenant.pk), data)

    assert response.status_code == 302
    assert nights_of("suite", tenant).count() == 365


def test_duplicate_room_type_code_is_a_form_error(as_manager, standard):
    response = as_manager.post(admin_url(RoomType, "add"), {
        "tenant": standard.tenant_id, "code": "standard", "name": "Again", "max_guests": 2,
        "base_rate": "90.00", "room_count": 1,
    })

    assert response.status_code == 200
    assert response.context["adminform"].form.errors


def test_extend_inventory_action_opens_the_rest_of_the_year(as_manager, tenant, standard):
    assert nights_of("standard", tenant).count() == 120  # the factory opens 120 nights

    response = as_manager.post(admin_url(Tenant, "changelist"), {
        "action": "extend_inventory", "_selected_action": [tenant.pk],
    }, follow=True)

    assert nights_of("standard", tenant).count() == 365
    assert "245 nights opened." in messages_of(response)
    last = tenant.local_today() + datetime.timedelta(days=364)
    assert nights_of("standard", tenant).filter(date=last).exists()
