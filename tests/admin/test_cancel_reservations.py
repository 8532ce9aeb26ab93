import pytest
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory, Reservation
from security.models import AuditEvent

from .pages import admin_url, messages_of

pytestmark = pytest.mark.django_db


def booked_nights(room_type):
    with scopes_disabled():
        nights = NightlyInventory.objects.filter(room_type=room_type)
        return sum(nights.values_list("rooms_booked", flat=True))


def cancel_selected(client, *reservations):
    return client.post(admin_url(Reservation, "changelist"), {
        "action": "cancel_selected", "_selected_action": [r.pk for r in reservations], "confirm": "yes",
    }, follow=True, REMOTE_ADDR="203.0.113.9")


def test_cancelling_from_the_list_frees_the_rooms(as_staff, standard, book, tenant):
    first = book(tenant)
    second = book(tenant, guest_email="bo@example.com", guest_phone="612345679")
    assert booked_nights(standard) == 4

    response = cancel_selected(as_staff, first, second)

    assert "2 reservations cancelled." in messages_of(response)
    assert booked_nights(standard) == 0
    with scopes_disabled():
        assert set(Reservation.objects.values_list("status", flat=True)) == {"cancelled"}


def test_cancelling_is_audited_with_the_user_and_address(as_staff, staff_member, standard, book, tenant):
    reservation = book(tenant)

    cancel_selected(as_staff, reservation)

    with scopes_disabled():
        event = AuditEvent.objects.get(action="reservation_cancelled")
    assert event.actor == f"user:{staff_member.pk}"
    assert event.ip_address == "203.0.113.9"
    assert event.resource == f"reservation:{reservation.code}"


def test_already_cancelled_reservations_are_not_counted(as_staff, standard, book, tenant):
    reservation = book(tenant)
    cancel_selected(as_staff, reservation)

    response = cancel_selected(as_staff, reservation)

    assert "0 reservations cancelled." in messages_of(response)


def test_cancel_button_on_the_reservation_page(as_staff, standard, book, tenant):
    reservation = book(tenant)
    page = admin_url(Reservation, "change", reservation.pk)
    assert "Cancel reservation" in as_staff.get(page).content.decode()

    response = as_staff.post(page.replace("/change/", "/cancel/"), follow=True)

    assert f"Reservation {reservation.code} cancelled." in messages_of(response)
    assert booked_nights(standard) == 0
    assert "Cancel reservation" not in response.content.decode()


def test_another_hotels_reservation_cannot_be_cancelled(as_staff, other_tenant, other_standard, book):
    theirs = book(other_tenant, guest_phone="+12125550123")

    response = as_staff.post(admin_url(Reservation, "change", theirs.pk).replace("/change/", "/cancel/"))

    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == Reservation.Status.CONFIRMED


def test_reservations_are_changed_only_through_the_booking_forms(as_superuser, standard, book, tenant):
    """Adding is the booking form (reservation_create); Django's own edit and delete stay off."""
    reservation = book(tenant)

    assert as_superuser.get(admin_url(Reservation, "add")).status_code == 200
    page = as_superuser.get(admin_url(Reservation, "change", reservation.pk))
    assert page.context["has_change_permission"] is False
    assert page.context["has_delete_permission"] is False


def test_reservations_are_found_by_phone(as_staff, standard, book, tenant):
    reservation = book(tenant)
    book(tenant, guest_email="bo@example.com", guest_phone="699000111")

    response = as_staff.get(admin_url(Reservation, "changelist"), {"q": "612345678"})

    with scopes_disabled():
        assert list(response.context["cl"].result_list) == [reservation]
