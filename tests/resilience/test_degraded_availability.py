"""While a hotel's PMS is unavailable, availability comes from the last known
copy, marked degraded and dated; with no copy the API answers 503 + Retry-After."""
import datetime

import pytest
from django.utils import timezone

from reservations.models import AvailabilitySnapshot
from reservations.pms.breaker import State, breaker_for
from reservations.pms.errors import PMSCallFailed
from tests.factories import stay

pytestmark = pytest.mark.django_db

URL = "/api/v1/availability/"


def search(api, tenant, **params):
    check_in, check_out = stay(tenant=tenant)
    return api.get(URL, {"check_in": check_in, "check_out": check_out, "guests": 2, **params})


def test_every_answer_from_the_pms_is_kept_night_by_night(api, qlo_hotel, qlo):
    search(api, qlo_hotel)

    snapshots = AvailabilitySnapshot.objects.with_scope(tenant=qlo_hotel).order_by("date")
    assert [(s.rooms_free, str(s.rate)) for s in snapshots] == [(3, "120.00"), (3, "120.00")]


def test_with_the_pms_down_the_last_copy_answers_marked_degraded(api, qlo_hotel, qlo):
    before = timezone.now()
    search(api, qlo_hotel)
    qlo.stop()

    response = search(api, qlo_hotel)

    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] is True
    assert before <= datetime.datetime.fromisoformat(body["as_of"]) <= timezone.now()
    [offer] = body["room_types"]
    assert (offer["available"], offer["total"]) == (3, "240.00")


def test_an_open_circuit_answers_from_the_copy_without_calling(api, qlo_hotel, qlo):
    search(api, qlo_hotel)
    breaker = breaker_for(qlo_hotel, "hotel_ari", failure_threshold=1)
    breaker.before_call()
    breaker.record_failure(error=PMSCallFailed("timeout"))
    calls = len(qlo.requests)

    response = search(api, qlo_hotel)

    assert response.json()["degraded"] is True
    assert len(qlo.requests) == calls
    assert breaker.state == State.OPEN


def test_nights_never_seen_are_not_offered(api, qlo_hotel, qlo):
    search(api, qlo_hotel)
    qlo.stop()

    [offer] = search(api, qlo_hotel, check_out=stay(nights=3, tenant=qlo_hotel)[1]).json()["room_types"]

    assert offer["available"] == 0


def test_without_any_copy_the_api_says_503_with_retry_after(api, qlo_hotel, qlo):
    qlo.stop()

    response = search(api, qlo_hotel)

    assert response.status_code == 503
    assert response.json() == {"error": "pms_unavailable", "retry_after": 30}
    assert response["Retry-After"] == "30"


def test_retry_after_is_what_is_left_of_an_open_circuit(api, qlo_hotel, qlo, settings):
    settings.PMS_CIRCUIT_FAILURE_THRESHOLD = 1
    settings.PMS_CIRCUIT_RECOVERY_SECONDS = 120
    qlo.stop()
    search(api, qlo_hotel)  # fails and opens the circuit

    response = search(api, qlo_hotel)

    assert response.status_code == 503
    assert 118 <= int(response["Retry-After"]) <= 120
