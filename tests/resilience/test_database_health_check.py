"""A persistent connection the server dropped is replaced before a request uses it,
without paying a health check per request under steady traffic
(hotelagent/postgresql/base.py). PostgreSQL only: the connection is terminated
for real, with pg_terminate_backend."""
import pytest
from django.db import close_old_connections, connection

from tests.clock import FakeClock
from tests.terminator import Terminator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("terminates a real PostgreSQL connection")


@pytest.fixture
def clock(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(connection, "clock", clock)
    return clock


@pytest.fixture
def checks(monkeypatch):
    """How many times the connection was checked with a round trip (Django's is_usable)."""
    calls = []
    is_usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: calls.append(1) or is_usable())
    return calls


def terminate_this_threads_connection() -> int:
    """Kill the connection the last request used; its backend's pid."""
    terminate = Terminator()
    terminate()
    return terminate.pid


def request(api):
    """One request as a WSGI server runs it: Django's request_started and
    request_finished handlers look after the connection around it (the test
    client leaves them out, so they are called here)."""
    close_old_connections()
    try:
        return api.get("/api/v1/reservations/")
    finally:
        close_old_connections()


def reservations(api):
    response = request(api)
    assert response.status_code == 200
    return response


def test_requests_in_steady_succession_are_not_checked_again(api, clock, checks):
    reservations(api)
    checked_first = len(checks)

    for _ in range(5):
        clock.advance(0.1)
        reservations(api)

    assert len(checks) == checked_first  # each request proved the connection for the next


def test_a_connection_dropped_while_idle_is_replaced_before_the_next_request(api, clock, checks):
    reservations(api)
    old_pid = terminate_this_threads_connection()
    clock.advance(connection.health_check_grace + 1)

    reservations(api)  # would be a 500 had the dead connection been used

    assert checks
    assert connection.connection.info.backend_pid != old_pid


def test_a_request_that_saw_a_database_error_is_not_trusted(api, clock, checks):
    reservations(api)
    terminate_this_threads_connection()
    with pytest.raises(Exception):  # noqa: B017 — whatever psycopg raises for a dead connection
        request(api)  # within the grace: this one meets the dead connection

    clock.advance(0.1)
    reservations(api)  # Django checked and replaced it after the failure, at once
