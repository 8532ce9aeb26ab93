"""The PMS circuit breaker's edges, the seed guide's included (half-open success,
half-open failure), with an injected clock instead of sleeps."""
import pytest
from django.core.cache import cache

from reservations.errors import PMSRejected
from reservations.pms.breaker import CircuitBreaker, State
from reservations.pms.errors import CircuitOpen, PMSCallFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def breaker(tenant, clock):
    return CircuitBreaker(tenant=tenant, endpoint="hotel_ari", failure_threshold=2, recovery_timeout=30,
                          clock=clock)


def failing():
    raise PMSCallFailed("QloApps hotel_ari timed out")


def succeeding():
    return "Success"


def trip(breaker, times=2):
    for _ in range(times):
        with pytest.raises(PMSCallFailed):
            breaker.call(failing)


def test_it_opens_after_the_threshold_of_consecutive_failures(breaker):
    trip(breaker, times=1)
    assert breaker.state == State.CLOSED

    trip(breaker, times=1)

    assert breaker.state == State.OPEN


def test_a_success_resets_the_count_of_consecutive_failures(breaker):
    trip(breaker, times=1)
    breaker.call(succeeding)
    trip(breaker, times=1)

    assert breaker.state == State.CLOSED


def test_an_open_circuit_refuses_without_calling_and_says_for_how_long(breaker, clock):
    trip(breaker)
    clock.advance(10)
    calls = []

    with pytest.raises(CircuitOpen) as refused:
        breaker.call(calls.append, "called")

    assert calls == []
    assert refused.value.retry_after == 20


def test_after_the_recovery_timeout_it_is_half_open(breaker, clock):
    trip(breaker)

    clock.advance(30)

    assert breaker.state == State.HALF_OPEN


def test_half_open_success_closes_it(breaker, clock):
    trip(breaker)
    clock.advance(31)

    assert breaker.call(succeeding) == "Success"
    assert breaker.state == State.CLOSED


def test_half_open_failure_opens_it_for_another_timeout(breaker, clock):
    trip(breaker)
    clock.advance(31)

    trip(breaker, times=1)

    assert breaker.state == State.OPEN
    clock.advance(29)
    assert breaker.state == State.OPEN
    clock.advance(1)
    assert breaker.state == State.HALF_OPEN


def test_only_one_trial_call_is_let_through_at_a_time(breaker, clock):
    trip(breaker)
    clock.advance(31)
    refused = []

    def trial():
        with pytest.raises(CircuitOpen) as second:
            breaker.call(succeeding)
        refused.append(second.value)
        return "trial"

    assert breaker.call(trial) == "trial"
    assert len(refused) == 1
    assert breaker.state == State.CLOSED


def test_a_trial_whose_process_died_is_made_again_once_its_lock_expires(breaker, clock):
    trip(breaker)
    clock.advance(31)
    assert breaker.before_call() is True  # the trial starts, and its process is killed mid-call

    with pytest.raises(CircuitOpen):
        breaker.before_call()
    cache.delete(breaker._trial_key)  # what the lock's TTL (trial_timeout) does

    assert breaker.before_call() is True


def test_timeouts_count_as_failures_but_refused_requests_do_not(breaker):
    def refused():
        raise PMSRejected("HTTP 400: Validation error")

    for _ in range(5):
        with pytest.raises(PMSRejected):
            breaker.call(refused)

    assert breaker.state == State.CLOSED
    trip(breaker)
    assert breaker.state == State.OPEN


def test_a_refused_request_in_the_trial_proves_the_pms_answers(breaker, clock):
    trip(breaker)
    clock.advance(31)

    with pytest.raises(PMSRejected):
        breaker.call(lambda: (_ for _ in ()).throw(PMSRejected("HTTP 404")))

    assert breaker.state == State.CLOSED
