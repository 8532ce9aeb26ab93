from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory

from .pages import admin_url, rows

pytestmark = pytest.mark.django_db


def first_night(room_type):
    with scopes_disabled():
        return NightlyInventory.objects.filter(room_type=room_type).order_by("date").first()


def edit_in_list(client, night, **fields):
    data = {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": night.pk,
        "form-0-rooms_total": night.rooms_total, "form-0-rate_override": night.rate_override or "",
        "_save": "Save",
    }
    data.update({f"form-0-{name}": value for name, value in fields.items()})
    return client.post(admin_url(NightlyInventory, "changelist") + f"?id={night.pk}", data)


def test_manager_sets_a_special_rate_from_the_list(as_manager, standard):
    night = first_night(standard)

    response = edit_in_list(as_manager, night, rate_override="149.00")

    assert response.status_code == 302
    night.refresh_from_db()
    assert night.rate_override == Decimal("149.00")


def test_total_cannot_drop_below_rooms_booked(as_manager, standard, book, tenant):
    reservation = book(tenant)
    with scopes_disabled():
        night = NightlyInventory.objects.get(room_type=standard, date=reservation.check_in)

    response = as_manager.post(admin_url(NightlyInventory, "change", night.pk), {
        "rooms_total": "0", "rate_override": "",
    })

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["rooms_total"] == [
        "1 rooms are already booked that night."
    ]


def test_staff_see_nights_but_cannot_edit_them(as_staff, standard, other_standard):
    response = as_staff.get(admin_url(NightlyInventory, "changelist"))

    assert {night.room_type for night in rows(response)} == {standard}
    assert response.context["cl"].formset is None
    assert 'name="form-0-rooms_total"' not in response.content.decode()
