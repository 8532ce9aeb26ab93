import pytest
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory, Reservation
from security.models import AuditEvent
from tests.factories import BlacklistEntryFactory, RoomTypeFactory, stay

pytestmark = pytest.mark.django_db


def reservations():
    with scopes_disabled():
        return list(Reservation.objects.all())


def test_booking_answers_with_the_reservation(book, tenant, booking_payload):
    response = book()

    assert response.status_code == 201
    body = response.json()
    assert body["code"].startswith("HA-")
    assert body["guest_link"].startswith("http://testserver/r/")
    assert {key: body[key] for key in body if key not in ("code", "created_at", "guest_link")} == {
        "status": "confirmed", "room_type": "standard", "guest_name": "Ana García",
        "guest_email": "ana.garcia@example.com", "guest_phone": "+34612345678", "guests": 2,
        "check_in": booking_payload["check_in"], "check_out": booking_payload["check_out"], "nights": 2,
        "nightly_rates": ["100.00", "100.00"], "subtotal": "200.00", "discount_rate": "0.00",
        "total": "200.00", "currency": "EUR", "source": "api",
        "special_requests": "Cama extra, por favor",
    }


def test_booking_is_stored_for_the_hotel_and_takes_the_rooms(book, tenant, standard):
    code = book().json()["code"]

    [reservation] = reservations()
    assert (reservation.code, reservation.tenant, reservation.source) == (code, tenant, "api")
    with scopes_disabled():
        assert NightlyInventory.objects.filter(room_type=standard, rooms_booked=1).count() == 2


def test_booking_is_audited_with_the_key_and_address(book, api_key):
    code = book(headers={"X-Forwarded-For": "198.51.100.1"}).json()["code"]

    with scopes_disabled():
        event = AuditEvent.objects.get(action="reservation_created")
    assert event.actor == f"api_key:{api_key.split('_')[1]}"
    assert event.resource == f"reservation:{code}"
    assert event.ip_address == "127.0.0.1"  # no trusted proxy: X-Forwarded-For is ignored


@pytest.mark.parametrize(("nights", "discount_rate", "total"), [
    (6, "0.00", "600.00"), (7, "0.10", "630.00"), (29, "0.10", "2610.00"), (30, "0.20", "2400.00"),
])
def test_long_stays_are_booked_at_their_discount(book, tenant, nights, discount_rate, total):
    check_in, check_out = stay(nights=nights, tenant=tenant)

    body = book(check_in=check_in.isoformat(), check_out=check_out.isoformat()).json()

    assert (body["nights"], body["discount_rate"], body["total"]) == (nights, discount_rate, total)


def test_special_requests_are_optional(book, booking_payload):
    del booking_payload["special_requests"]

    response = book()

    assert response.status_code == 201
    assert response.json()["special_requests"] == ""


def test_markup_in_guest_text_is_stripped(book):
    response = book(guest_name="<b>Ana</b> García", special_requests="<script>alert(1)</script>Sin gluten")

    assert response.json()["guest_name"] == "Ana García"
    assert response.json()["special_requests"] == "Sin gluten"


def test_every_bad_field_is_reported_at_once(book):
    response = book(guest_email="not-an-email", guest_phone="12", guests=0, guest_name="")

    assert response.status_code == 400
    assert set(response.json()) == {"guest_email", "guest_phone", "guests", "guest_name"}
    assert reservations() == []


def test_missing_fields_are_named(api):
    response = api.post("/api/v1/reservations/", {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {
        "check_in", "check_out", "room_type", "guest_name", "guest_email", "guest_phone", "guests"
    }


def test_unknown_room_type_is_a_field_error(book):
    response = book(room_type="penthouse")

    assert response.status_code == 400
    assert list(response.json()) == ["room_type"]


def test_party_too_big_for_the_room_is_a_field_error(book):
    response = book(guests=3)

    assert response.json() == {"guests": ["Este tipo de habitación admite como máximo 2 huéspedes."]}


def test_full_nights_answer_unavailable(book, tenant):
    RoomTypeFactory(tenant=tenant, code="single", room_count=1)
    book(room_type="single")

    response = book(room_type="single", guest_email="otro@example.com", guest_phone="699111222")

    assert response.status_code == 409
    assert response.json() == {"error": "unavailable"}
    assert len(reservations()) == 1


def test_guest_over_the_active_limit_is_refused(book, tenant):
    tenant.max_active_reservations_per_guest = 1
    tenant.save()
    book()

    response = book()

    assert response.status_code == 409
    assert response.json() == {"error": "active_reservation_limit"}


def test_refused_guest_is_not_told_why(book, tenant):
    BlacklistEntryFactory(tenant=tenant, email="ana.garcia@example.com")

    response = book()

    assert response.status_code == 403
    assert response.json() == {"error": "guest_not_allowed"}
    assert "blacklist" not in response.content.decode().lower()
    assert reservations() == []
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="reservation_refused").count() == 1
