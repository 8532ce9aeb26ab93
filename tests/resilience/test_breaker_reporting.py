"""Each change of a PMS circuit is logged, audited as a CONFIGURATION event and
exported as hotelagent_pms_circuit_state{tenant,endpoint}."""
import logging

import pytest
from django.db import transaction
from prometheus_client import REGISTRY

from reservations import metrics
from reservations.pms.breaker import CircuitBreaker, record_pending_audits
from reservations.pms.errors import PMSCallFailed
from security.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def breaker(tenant, clock):
    return CircuitBreaker(tenant=tenant, endpoint="bookings", failure_threshold=1, recovery_timeout=30,
                          clock=clock)


def gauge(tenant, endpoint="bookings"):
    labels = {"tenant": tenant.slug, "endpoint": endpoint}
    return REGISTRY.get_sample_value("hotelagent_pms_circuit_state", labels)


def fail(breaker):
    with pytest.raises(PMSCallFailed):
        breaker.call(lambda: (_ for _ in ()).throw(PMSCallFailed("HTTP 503")))


def audited(tenant):
    return list(
        AuditEvent.objects.with_scope(tenant=tenant)
        .filter(event_type="CONFIGURATION", resource="pms:bookings")
        .order_by("id").values_list("action", "details__state")
    )


def test_open_half_open_and_closed_are_audited_in_order(breaker, clock, tenant,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        fail(breaker)
        clock.advance(31)
        breaker.call(lambda: "ok")

    assert audited(tenant) == [
        ("pms_circuit_opened", "open"),
        ("pms_circuit_half_open", "half-open"),
        ("pms_circuit_closed", "closed"),
    ]


def test_the_gauge_follows_the_state(breaker, clock, tenant, monkeypatch):
    tenant.pms_backend = "qloapps"  # the gauge covers hotels on an external PMS, read at scrape time
    tenant.save()
    monkeypatch.setattr(metrics.pms_circuits, "clock", clock)  # …with the scrape's clock
    breaker.call(lambda: "ok")
    assert gauge(tenant) == 0
    fail(breaker)
    assert gauge(tenant) == 2
    clock.advance(31)
    assert breaker.state.label == "half-open"
    assert gauge(tenant) == 1


def test_opening_is_logged_as_a_warning(breaker, caplog):
    with caplog.at_level(logging.WARNING, logger="reservations.pms.breaker"):
        fail(breaker)

    assert "PMS circuit hotel-sol/bookings is open" in caplog.text


class BookingFailed(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_an_opening_during_a_rolled_back_booking_is_still_audited(breaker, tenant):
    with pytest.raises(BookingFailed), transaction.atomic():  # the booking transaction…
        fail(breaker)
        raise BookingFailed  # …rolls back because of that failure
    assert audited(tenant) == []

    record_pending_audits()  # reservation_create does this once its transaction is over

    assert [action for action, _ in audited(tenant)] == ["pms_circuit_opened"]
