"""Every process sees one state per hotel and endpoint: it lives in the cache
(Redis in production), not in the breaker object."""
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings

from reservations.pms.breaker import CircuitBreaker, State
from reservations.pms.errors import CircuitOpen, PMSCallFailed
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def breaker(tenant, clock, endpoint="hotel_ari"):
    return CircuitBreaker(tenant=tenant, endpoint=endpoint, failure_threshold=3, recovery_timeout=30,
                          clock=clock)


def fail(breaker_):
    breaker_.before_call()
    breaker_.record_failure(error=PMSCallFailed("timeout"))


def test_two_breakers_for_the_same_endpoint_share_one_state(tenant, clock):
    web, worker = breaker(tenant, clock), breaker(tenant, clock)

    fail(web)
    fail(worker)
    fail(web)

    assert worker.state == State.OPEN
    with pytest.raises(CircuitOpen):
        worker.call(lambda: "never")


def test_a_new_breaker_does_not_reset_the_shared_state(tenant, clock):
    for _ in range(3):
        fail(breaker(tenant, clock))

    assert breaker(tenant, clock).state == State.OPEN


def test_failures_are_counted_across_instances(tenant, clock):
    fail(breaker(tenant, clock))
    fail(breaker(tenant, clock))

    assert breaker(tenant, clock).failures == 2


def test_other_hotels_and_endpoints_are_not_affected(tenant, clock):
    for _ in range(3):
        fail(breaker(tenant, clock))

    assert breaker(tenant, clock, endpoint="bookings").state == State.CLOSED
    assert breaker(TenantFactory(), clock).state == State.CLOSED


def test_only_one_of_two_breakers_makes_the_half_open_trial(tenant, clock):
    web, worker = breaker(tenant, clock), breaker(tenant, clock)
    for _ in range(3):
        fail(web)
    clock.advance(31)

    assert web.before_call() is True
    with pytest.raises(CircuitOpen):
        worker.before_call()
    web.record_success(trial=True)
    assert worker.state == State.CLOSED


SECOND_PROCESS = textwrap.dedent("""
    import django, sys
    django.setup()
    from tenants.models import Tenant
    from reservations.pms.breaker import CircuitBreaker
    from reservations.pms.errors import CircuitOpen
    hotel = Tenant(pk=int(sys.argv[1]), slug=sys.argv[2])
    breaker = CircuitBreaker(tenant=hotel, endpoint="hotel_ari", recovery_timeout=30,
                             clock=lambda: float(sys.argv[3]))
    try:
        breaker.call(lambda: print("called"))
    except CircuitOpen as refused:
        print(f"{breaker.state.label} retry_after={refused.retry_after}")
""")


def test_another_process_sees_the_open_circuit(tenant, clock):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: a local-memory cache is not shared between processes")
    for _ in range(3):
        fail(breaker(tenant, clock))

    second = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SECOND_PROCESS, str(tenant.pk), tenant.slug, str(clock() + 10)],
        capture_output=True, text=True, timeout=60, cwd=settings.BASE_DIR,
    )

    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "open retry_after=20"
