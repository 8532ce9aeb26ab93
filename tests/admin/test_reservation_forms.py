import datetime

import pytest
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory, Reservation
from security.models import AuditEvent
from tests.factories import stay

from .pages import admin_url, messages_of

pytestmark = pytest.mark.django_db


def booked_nights(room_type):
    with scopes_disabled():
        nights = NightlyInventory.objects.filter(room_type=room_type)
        return sum(nights.values_list("rooms_booked", flat=True))


def booking_form(tenant, **changes):
    check_in, check_out = stay(tenant=tenant)
    return {
        "hotel": tenant.pk, "room_type": "standard", "check_in": check_in.isoformat(),
        "check_out": check_out.isoformat(), "guests": 2, "guest_name": "Marta Ruiz",
        "guest_email": "marta@example.com", "guest_phone": "612 000 111", "special_requests": "",
        **changes,
    }


def edit_url(reservation):
    return admin_url(Reservation, "change", reservation.pk).replace("/change/", "/edit/")


def test_staff_book_a_phone_booking_through_the_service(as_staff, staff_member, tenant, standard):
    response = as_staff.post(admin_url(Reservation, "add"), booking_form(tenant), follow=True)

    with scopes_disabled():
        reservation = Reservation.objects.get()
        event = AuditEvent.objects.get(action="reservation_created")
    assert (reservation.source, reservation.guest_phone, reservation.total) == ("admin", "+34612000111", 200)
    assert f"Reservation {reservation.code} booked" in messages_of(response)[0]
    assert event.actor == f"user:{staff_member.pk}"
    assert booked_nights(standard) == 2


def test_the_booking_rules_errors_are_shown_on_the_form(as_staff, tenant, standard):
    check_in, _ = stay(tenant=tenant)

    response = as_staff.post(admin_url(Reservation, "add"), booking_form(
        tenant, check_out=check_in.isoformat(), guests=4))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["check_out"] == ["Check-out must be after check-in."]
    assert form.errors["guests"] == ["This room type takes at most 2 guests."]
    assert "Check-out must be after check-in." in response.content.decode()
    with scopes_disabled():
        assert not Reservation.objects.exists()


def test_no_free_room_is_said_on_top_of_the_form(as_staff, tenant, standard, book):
    for n in range(3):
        book(tenant, guest_email=f"g{n}@example.com", guest_phone=f"61100000{n}")

    response = as_staff.post(admin_url(Reservation, "add"), booking_form(tenant))

    assert response.context["form"].non_field_errors() == [
        "No room of this type is free for every night of the stay."]


def test_the_hotel_choice_holds_only_the_users_hotels(as_staff, tenant, standard, other_standard):
    response = as_staff.get(admin_url(Reservation, "add"))

    assert list(response.context["form"].fields["hotel"].queryset) == [tenant]
    page = response.content.decode()
    assert "Harbor" not in page


def test_booking_at_another_hotel_is_refused(as_staff, other_tenant, other_standard):
    response = as_staff.post(admin_url(Reservation, "add"), booking_form(other_tenant))

    assert "hotel" in response.context["form"].errors
    with scopes_disabled():
        assert not Reservation.objects.exists()


def test_changing_the_dates_moves_the_rooms(as_staff, tenant, standard, book):
    reservation = book(tenant)
    new_in, new_out = stay(days_ahead=20, nights=3, tenant=tenant)
    form = as_staff.get(edit_url(reservation)).context["form"]
    data = {**{name: form[name].value() for name in form.fields},
            "check_in": new_in.isoformat(), "check_out": new_out.isoformat()}

    response = as_staff.post(edit_url(reservation), data, follow=True)

    reservation.refresh_from_db()
    assert (reservation.check_in, reservation.nights) == (new_in, 3)
    assert f"Reservation {reservation.code} changed" in messages_of(response)[0]
    assert booked_nights(standard) == 3
    with scopes_disabled():
        event = AuditEvent.objects.get(action="reservation_changed")
    assert event.details["after"]["check_in"] == str(new_in)


def test_a_change_error_is_shown_on_the_form(as_staff, tenant, standard, book):
    reservation = book(tenant)
    form = as_staff.get(edit_url(reservation)).context["form"]
    data = {**{name: form[name].value() for name in form.fields}, "guest_email": "not an email"}

    response = as_staff.post(edit_url(reservation), data)

    assert response.status_code == 200
    assert "guest_email" in response.context["form"].errors
    reservation.refresh_from_db()
    assert reservation.guest_email == "ana@example.com"


def test_another_hotels_reservation_cannot_be_edited(as_staff, other_tenant, other_standard, book):
    theirs = book(other_tenant, guest_phone="+12125550123")

    assert as_staff.get(edit_url(theirs)).status_code == 302
    assert as_staff.post(edit_url(theirs), {"guest_name": "Mallory"}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.guest_name == "Ana García"


def test_the_front_desk_checks_a_guest_in_and_out(as_staff, staff_member, tenant, standard, book):
    today = tenant.local_today()
    reservation = book(tenant, check_in=today, check_out=today + datetime.timedelta(days=2))
    page = admin_url(Reservation, "change", reservation.pk)
    assert "Check in" in as_staff.get(page).content.decode()

    response = as_staff.post(page.replace("/change/", "/check-in/"), follow=True)

    assert f"{reservation.code} checked in." in messages_of(response)
    assert "Check out" in response.content.decode()
    as_staff.post(page.replace("/change/", "/check-out/"))
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.CHECKED_OUT
    with scopes_disabled():
        assert AuditEvent.objects.get(action="reservation_checked_in").actor == f"user:{staff_member.pk}"


def test_the_front_desk_marks_a_no_show_and_is_told_the_room_is_on_sale(as_staff, tenant, standard, book):
    today = tenant.local_today()
    reservation = book(tenant, check_in=today, check_out=today + datetime.timedelta(days=2))
    page = admin_url(Reservation, "change", reservation.pk)
    assert "No-show" in as_staff.get(page).content.decode()

    response = as_staff.post(page.replace("/change/", "/no-show/"), follow=True)

    assert messages_of(response) == [
        f"{reservation.code} marked as a no-show; its room is on sale again from today."]
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.NO_SHOW
    with scopes_disabled():
        assert not NightlyInventory.objects.filter(room_type=standard, rooms_booked__gt=0).exists()


def test_a_future_arrival_cannot_be_checked_in(as_staff, tenant, standard, book):
    reservation = book(tenant)
    page = admin_url(Reservation, "change", reservation.pk)
    assert "Check in" not in as_staff.get(page).content.decode()

    response = as_staff.post(page.replace("/change/", "/no-show/"), follow=True)

    assert "no-show from the check-in day" in messages_of(response)[0]
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.CONFIRMED


def test_another_hotels_guest_cannot_be_checked_in(as_staff, other_tenant, other_standard, book):
    today = other_tenant.local_today()
    theirs = book(other_tenant, guest_phone="+12125550123", check_in=today,
                  check_out=today + datetime.timedelta(days=1))

    as_staff.post(admin_url(Reservation, "change", theirs.pk).replace("/change/", "/check-in/"))

    theirs.refresh_from_db()
    assert theirs.status == Reservation.Status.CONFIRMED


def test_the_cancel_button_asks_first_and_shows_what_is_cancelled(as_staff, tenant, standard, book):
    reservation = book(tenant)
    cancel_url = admin_url(Reservation, "change", reservation.pk).replace("/change/", "/cancel/")

    confirmation = as_staff.get(cancel_url)

    page = confirmation.content.decode()
    assert confirmation.status_code == 200
    for shown in (reservation.code, "Ana García", "Standard", "€200.00"):
        assert shown in page
    assert booked_nights(standard) == 2
    as_staff.post(cancel_url)
    assert booked_nights(standard) == 0


def test_cancelling_many_shows_the_count_and_the_filter_first(as_staff, tenant, standard, book):
    first = book(tenant)
    second = book(tenant, guest_email="bo@example.com", guest_phone="612345679")
    changelist = admin_url(Reservation, "changelist") + "?status__exact=confirmed"
    selection = {"action": "cancel_selected", "index": 0, "_selected_action": [first.pk, second.pk]}

    confirmation = as_staff.post(changelist, selection)

    page = confirmation.content.decode()
    assert "2 confirmed reservations will be cancelled" in page
    assert "Confirmed" in page and first.code in page and second.code in page
    assert booked_nights(standard) == 4

    done = as_staff.post(changelist, {"action": "cancel_selected", "confirm": "yes",
                                      "_selected_action": [first.pk, second.pk]}, follow=True)

    assert "2 reservations cancelled." in messages_of(done)
    assert booked_nights(standard) == 0


def test_the_list_shows_labels_and_money_with_its_currency(as_staff, tenant, standard, book):
    reservation = book(tenant)

    page = as_staff.get(admin_url(Reservation, "changelist")).content.decode()

    assert "€200.00" in page
    assert "Confirmed" in page and "API" in page
    assert reservation.code in page


def test_the_reservation_page_says_who_did_what_by_name(as_staff, staff_member, tenant, standard, book):
    staff_member.first_name, staff_member.last_name = "Lucía", "Pérez"
    staff_member.save()
    reservation = book(tenant)
    form = as_staff.get(edit_url(reservation)).context["form"]
    as_staff.post(edit_url(reservation), {**{name: form[name].value() for name in form.fields},
                                          "special_requests": "Quiet room"})

    page = as_staff.get(admin_url(Reservation, "change", reservation.pk))

    assert [(what, who) for _when, what, who in page.context["events"]] == [
        ("Booked", "The system"), ("Changed", "Lucía Pérez")]
    assert f"user:{staff_member.pk}" not in page.content.decode()
