"""A booking is never retried blindly: when QloApps may have taken an attempt
whose answer was lost, the retry finds that booking instead of making another."""
import pytest
from django_scopes import scopes_disabled

from reservations.models import Reservation

pytestmark = pytest.mark.django_db

RESERVATIONS = "/api/v1/reservations/"


@pytest.fixture
def payload(booking_payload, qlo_hotel):
    return booking_payload


def test_a_booking_whose_answer_timed_out_is_not_sent_again(api, payload, qlo):
    qlo.misbehave("late", path="/api/bookings", seconds=1.0)  # taken, answered after the read timeout

    response = api.post(RESERVATIONS, payload, format="json", headers={"Idempotency-Key": "k-1"})

    assert response.status_code == 503
    assert len(qlo.live_bookings()) == 1
    assert qlo.paths("POST").count("/api/bookings") == 1  # a timed-out create is not retried


def test_the_clients_retry_with_the_same_key_finds_the_booking_qloapps_made(api, payload, qlo):
    qlo.misbehave("late", path="/api/bookings", seconds=1.0)
    api.post(RESERVATIONS, payload, format="json", headers={"Idempotency-Key": "k-2"})

    response = api.post(RESERVATIONS, payload, format="json", headers={"Idempotency-Key": "k-2"})

    assert response.status_code == 201, response.json()
    [booking] = qlo.live_bookings()
    assert response.json()["total"] == "240.00"
    assert qlo.paths("POST").count("/api/bookings") == 1
    with scopes_disabled():
        assert Reservation.objects.get().external_reference == str(booking["id"])


def test_a_create_that_never_reached_qloapps_is_made_on_retry(api, payload, qlo):
    qlo.misbehave("drop", path="/api/bookings")

    first = api.post(RESERVATIONS, payload, format="json", headers={"Idempotency-Key": "k-3"})
    second = api.post(RESERVATIONS, payload, format="json", headers={"Idempotency-Key": "k-3"})

    assert (first.status_code, second.status_code) == (503, 201)
    assert len(qlo.live_bookings()) == 1
    assert qlo.paths("GET") == ["/api/customers"]  # looked up first: no such guest, so nothing was made
