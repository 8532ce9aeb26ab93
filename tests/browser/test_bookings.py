"""A front desk manager books a phone booking, corrects it, moves it and cancels
it, in headless Chromium."""
import datetime

from django.urls import reverse
from django_scopes import scopes_disabled
from selenium.webdriver.support.select import Select

from reservations.guest.links import guest_link_token
from reservations.models import Reservation
from reservations.services import reservation_create
from tests.browser.conftest import sign_in
from tests.factories import stay


def fill(page, values: dict) -> None:
    for name, value in values.items():
        field = page.find(f"#id_{name}")
        if field.tag_name == "select":
            Select(field).select_by_value(str(value))
        elif field.get_attribute("type") == "date":
            page.driver.execute_script("arguments[0].value = arguments[1]", field, value.isoformat())
        else:
            field.clear()
            field.send_keys(str(value))


def only_reservation() -> Reservation:
    with scopes_disabled():
        return Reservation.objects.select_related("room_type").get()


def test_a_booking_is_made_corrected_moved_and_cancelled(page, front_desk, tenant, standard):
    tenant.address = "Calle Mayor 1, Madrid"
    tenant.save()
    check_in, check_out = stay(tenant=tenant)
    sign_in(page, "lucia")

    page.open(reverse("admin:reservations_reservation_add"))
    fill(page, {"room_type": "standard", "check_in": check_in, "check_out": check_in, "guests": 2,
                "guest_name": "Marta Ruiz", "guest_email": "marta@example.com", "guest_phone": "612 000 111"})
    page.find("input[type=submit].default").click()
    assert "Check-out must be after check-in." in page.wait_for(".field-check_out .errorlist").text
    page.shot("reservation-form-error")

    fill(page, {"check_out": check_out, "special_requests": "Late arrival"})
    page.find("input[type=submit].default").click()
    assert "booked for" in page.wait_for("ul.messagelist li").text
    reservation = only_reservation()
    assert (reservation.source, reservation.nights) == ("admin", 2)
    page.shot("reservation")

    page.find("a[href$='/edit/']").click()
    moved_in = check_in + datetime.timedelta(days=7)
    fill(page, {"check_in": moved_in, "check_out": moved_in + datetime.timedelta(days=3)})
    page.find("input[type=submit].default").click()
    assert "changed" in page.wait_for("ul.messagelist li").text
    assert (only_reservation().check_in, only_reservation().nights) == (moved_in, 3)
    change_page = page.driver.current_url
    page.open(reverse("admin:reservations_reservation_changelist"))
    assert "€300.00" in page.wait_for("#result_list").text
    page.shot("reservation-list")
    page.driver.get(change_page)

    page.find("a.cancel-link").click()
    summary = page.wait_for(".booking-summary").text
    assert reservation.code in summary and "Marta Ruiz" in summary and "€300.00" in summary
    page.shot("reservation-cancel")
    page.find("input.danger").click()
    assert "cancelled" in page.wait_for("ul.messagelist li").text
    assert only_reservation().status == Reservation.Status.CANCELLED


def test_the_guest_page_asks_before_cancelling(page, tenant, standard):
    tenant.address = "Calle Mayor 1\n28013 Madrid"
    tenant.save()
    check_in, check_out = stay(tenant=tenant)
    reservation = reservation_create(
        tenant=tenant, room_type="standard", check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone="+34612345678", source="api",
        special_requests="Cuna para el bebé",
    )
    page.open(f"/r/{guest_link_token(reservation)}/")
    page.wait_for("button.secondary").click()

    assert reservation.code in page.wait_for("#confirm-cancel").text
    page.shot("guest-page-confirm")
    page.find("#confirm-cancel button").click()
    page.wait_for(".badge.cancelled")
    assert only_reservation().status == Reservation.Status.CANCELLED
