"""A booking at a QloApps hotel is made in QloApps and mirrored by our Reservation
row, through the same service and rules as every other booking."""
import datetime
import json

import pytest
from django_scopes import scopes_disabled

from reservations.models import Reservation
from reservations.services import reservation_cancel, reservation_mark_no_show

pytestmark = pytest.mark.django_db

RESERVATIONS = "/api/v1/reservations/"


@pytest.fixture
def payload(booking_payload, qlo_hotel):
    return booking_payload


def test_booking_creates_it_in_qloapps_and_keeps_our_row(api, payload, qlo):
    response = api.post(RESERVATIONS, payload, format="json")

    assert response.status_code == 201, response.json()
    [booking] = qlo.live_bookings()
    with scopes_disabled():
        reservation = Reservation.objects.get()
    assert reservation.external_reference == str(booking["id"])
    assert response.json()["total"] == "240.00"
    assert booking["customer"] == {
        "firstname": "Ana", "lastname": "García", "email": "ana.garcia@example.com", "phone": "+34612345678",
    }


def test_the_booking_carries_its_client_reference_and_the_requests(api, payload, qlo):
    api.post(RESERVATIONS, payload, format="json", headers={"Idempotency-Key": "order-77"})

    [post] = [r for r in qlo.requests if r["method"] == "POST" and r["path"] == "/api/bookings"]
    booking = json.loads(post["body"])["booking"]
    assert booking["remark"].startswith("hotelagent-ref:")
    assert booking["remark"].endswith("Cama extra, por favor")
    assert booking["associations"]["room_types"][0]["id_room_type"] == 11
    assert (booking["booking_status"], booking["source"]) == (1, "hotelagent")


def test_a_room_qloapps_no_longer_has_is_refused_as_unavailable(api, payload, qlo):
    qlo.room_types[11]["rooms"] = []

    response = api.post(RESERVATIONS, payload, format="json")

    assert (response.status_code, response.json()) == (409, {"error": "unavailable"})
    assert qlo.paths("POST") == ["/api/hotel_ari"]  # seen in the search, never attempted


def test_qloapps_saying_not_available_at_booking_time_is_unavailable(api, payload, qlo):
    def taken(method, path, query, body, original=qlo.route):
        if method == "POST" and path == "/api/bookings":  # the room went after the search
            return 400, {"errors": [{"code": 0, "message": "Requested room(s) not available."}]}
        return original(method, path, query, body)

    qlo.route = taken

    response = api.post(RESERVATIONS, payload, format="json")

    assert (response.status_code, response.json()) == (409, {"error": "unavailable"})
    with scopes_disabled():
        assert not Reservation.objects.exists()


def test_cancelling_sets_the_qloapps_booking_status_to_cancelled(api, payload, qlo, qlo_hotel):
    code = api.post(RESERVATIONS, payload, format="json").json()["code"]

    reservation_cancel(tenant=qlo_hotel, code=code, source="api")

    [put] = [r for r in qlo.requests if r["method"] == "PUT"]
    assert json.loads(put["body"])["booking"]["booking_status"] == 3
    assert qlo.live_bookings() == []


def test_a_no_show_gives_the_room_back_in_qloapps(api, payload, qlo, qlo_hotel):
    today = qlo_hotel.local_today()
    payload.update(check_in=str(today), check_out=str(today + datetime.timedelta(days=2)))
    code = api.post(RESERVATIONS, payload, format="json").json()["code"]
    assert len(qlo.live_bookings()) == 1

    reservation = reservation_mark_no_show(tenant=qlo_hotel, code=code, actor="user:1")

    assert reservation.status == "no_show"
    assert qlo.live_bookings() == []
