"""POST /api/v1/reservations/ during a PMS outage answers 503 + Retry-After and
keeps nothing: the API's client retries (with its Idempotency-Key), while only the
agent's guests, who cannot, get a PendingBooking."""
import pytest
from django_scopes import scopes_disabled

from reservations.models import PendingBooking, Reservation

pytestmark = pytest.mark.django_db

RESERVATIONS = "/api/v1/reservations/"


@pytest.fixture
def payload(booking_payload, qlo_hotel):
    return booking_payload


def test_a_booking_during_an_outage_is_503_with_retry_after(api, payload, qlo):
    qlo.stop()

    response = api.post(RESERVATIONS, payload, format="json")

    assert response.status_code == 503
    assert response.json() == {"error": "pms_unavailable", "retry_after": 30}
    assert response["Retry-After"] == "30"
    with scopes_disabled():
        assert not Reservation.objects.exists()
        assert not PendingBooking.objects.exists()


def test_the_same_request_succeeds_once_the_pms_is_back(api, payload, qlo):
    qlo.stop()
    api.post(RESERVATIONS, payload, format="json", headers={"Idempotency-Key": "retry-me"})
    qlo.start()

    response = api.post(RESERVATIONS, payload, format="json", headers={"Idempotency-Key": "retry-me"})

    assert response.status_code == 201
    assert len(qlo.live_bookings()) == 1


def test_an_open_circuit_refuses_bookings_without_calling_the_pms(api, payload, qlo, settings):
    settings.PMS_CIRCUIT_FAILURE_THRESHOLD = 1
    qlo.stop()
    api.post(RESERVATIONS, payload, format="json")
    qlo.start()
    calls = len(qlo.requests)

    response = api.post(RESERVATIONS, payload, format="json")

    assert response.status_code == 503
    assert 1 <= int(response["Retry-After"]) <= 30
    assert len(qlo.requests) == calls
