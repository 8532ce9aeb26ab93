"""/health/ready reports one hotel's PMS outage as degraded without failing the
pod; a broken database or cache still fails it."""
import pytest

from hotelagent import health
from reservations.pms.breaker import breaker_for
from reservations.pms.errors import PMSCallFailed

pytestmark = pytest.mark.django_db


def open_circuit(tenant, endpoint):
    breaker = breaker_for(tenant, endpoint, failure_threshold=1)
    breaker.before_call()
    breaker.record_failure(error=PMSCallFailed("timeout"))


def test_all_closed_is_ok(client, qlo_hotel):
    response = client.get("/health/ready")

    assert (response.status_code, response.json()["status"]) == (200, "ok")


def test_an_open_pms_circuit_is_degraded_but_ready(client, qlo_hotel):
    open_circuit(qlo_hotel, "bookings")

    response = client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": True, "cache": True},
        "degraded": {"pms": {"hotel-sol": {"hotel_ari": "closed", "bookings": "open",
                                           "hotel_room_types": "closed"}}},
    }


@pytest.mark.parametrize("dependency", ["_database", "_cache"])
def test_a_broken_database_or_cache_is_not_ready(client, qlo_hotel, monkeypatch, dependency):
    def broken():
        raise ConnectionError("down")

    monkeypatch.setattr(health, dependency, broken)

    response = client.get("/health/ready")

    assert (response.status_code, response.json()["status"]) == (503, "unavailable")
