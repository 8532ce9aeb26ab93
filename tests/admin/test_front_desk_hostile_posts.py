"""The front desk's forms take whatever a browser (or an attacker) posts: NUL, lone
surrogates, huge and malformed values come back as a 4xx or the form with its
errors, never a 500, and nothing is stored from them."""
import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory, Reservation
from tests.factories import InboundMessageFactory, RoomTypeFactory, stay

pytestmark = pytest.mark.django_db

HOSTILE = ["\x00", "a\x00b", "9" * 400, "-1", "1e309", "NaN", "<script>alert(1)</script>", " " * 5000,
           "2026-02-30", "٣", "0x10", "DROP TABLE x;--"]


@pytest.fixture
def hotel_rows(tenant):
    RoomTypeFactory(tenant=tenant, code="standard", name="Standard", max_guests=2)
    question = InboundMessageFactory(conversation__tenant=tenant, conversation__needs_staff=True,
                                     conversation__channel="web", text="hola?")
    return question.conversation


def no_server_error(client, url, data):
    client.raise_request_exception = False
    response = client.post(url, data)
    assert response.status_code < 500, (url, data, response.status_code)
    return response


@pytest.mark.parametrize("value", HOSTILE)
def test_the_reply_box(as_manager, hotel_rows, value):
    url = reverse("admin:webhooks_conversation_reply", args=[hotel_rows.pk])
    no_server_error(as_manager, url, {"text": value})


def test_invalid_utf8_in_the_reply_box(as_manager, hotel_rows):
    url = reverse("admin:webhooks_conversation_reply", args=[hotel_rows.pk])
    as_manager.raise_request_exception = False
    response = as_manager.post(url, "text=%ED%A0%80%00", content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500


@pytest.mark.parametrize("value", HOSTILE)
def test_the_booking_form(as_manager, tenant, hotel_rows, value):
    check_in, check_out = stay(tenant=tenant)
    fields = {"hotel": tenant.pk, "room_type": "standard", "check_in": check_in.isoformat(),
              "check_out": check_out.isoformat(), "guests": "2", "guest_name": "Ana García",
              "guest_email": "ana@example.com", "guest_phone": "612345678", "special_requests": ""}
    for name in fields:
        no_server_error(as_manager, reverse("admin:reservations_reservation_add"), {**fields, name: value})
    with scopes_disabled():
        names = list(Reservation.objects.values_list("guest_name", flat=True))
    assert all("\x00" not in name for name in names)


@pytest.mark.parametrize("value", HOSTILE)
def test_the_change_form_and_the_status_buttons(as_manager, tenant, hotel_rows, book, value):
    reservation = book(tenant)
    fields = {"room_type": "standard", "check_in": reservation.check_in.isoformat(),
              "check_out": reservation.check_out.isoformat(), "guests": "2", "guest_name": "Ana García",
              "guest_email": "ana@example.com", "guest_phone": "612345678", "special_requests": ""}
    edit = reverse("admin:reservations_reservation_edit", args=[reservation.pk])
    for name in fields:
        no_server_error(as_manager, edit, {**fields, name: value})
    for action in ("cancel", "check_in", "check_out", "no_show"):
        button = reverse(f"admin:reservations_reservation_{action}", args=[reservation.pk])
        no_server_error(as_manager, button, {"confirm": value})
    no_server_error(as_manager, reverse("admin:reservations_reservation_edit", args=[value.strip() or "x"]),
                    fields)


@pytest.mark.parametrize("value", HOSTILE)
def test_the_calendar(as_manager, tenant, hotel_rows, value):
    with scopes_disabled():
        night = NightlyInventory.objects.filter(room_type__tenant=tenant).order_by("date").first()
    url = reverse("admin:reservations_nightlyinventory_calendar")
    for data in ({"room_type": night.room_type_id, "date": value, "rate": "100"},
                 {"room_type": value, "date": night.date.isoformat(), "rate": "100"},
                 {"room_type": night.room_type_id, "date": night.date.isoformat(), "rate": value},
                 {"bulk-room_types": value, "bulk-start": value, "bulk-end": value, "bulk-action": value,
                  "bulk-rate": value, "bulk-weekdays": value}):
        no_server_error(as_manager, url, data)
