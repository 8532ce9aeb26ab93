"""Gauges of state every process shares are computed when Prometheus scrapes,
from that shared state, so every web process answers the same: a circuit opened
in another process shows here although this process set nothing."""
import time

import pytest
from django.core.cache import cache
from django_scopes import scopes_disabled

from reservations import metrics as reservation_metrics
from reservations.pms.breaker import breaker_for
from security import audit, chain
from security.models import AuditEvent
from security.tasks import verify_audit_chains
from webhooks.graph_circuit import graph_api_circuit

from .conftest import scrape, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_qloapps(tenant):
    tenant.pms_backend = "qloapps"
    tenant.save()
    return tenant


def open_in_another_process(circuit_key: str, opened_at: float) -> None:
    """What a Celery worker's breaker leaves in the cache when it opens a circuit."""
    cache.set(f"{circuit_key}:open", opened_at, timeout=None)


def test_a_pms_circuit_another_process_opened_is_open_in_this_scrape(client, on_qloapps):
    open_in_another_process(f"pms-circuit:{on_qloapps.pk}:bookings", time.time())

    page = scrape(client)

    assert value(page, "hotelagent_pms_circuit_state", tenant="hotel-sol", endpoint="bookings") == 2
    assert value(page, "hotelagent_pms_circuit_state", tenant="hotel-sol", endpoint="hotel_ari") == 0


def test_the_breakers_own_failures_show_the_same_way(client, on_qloapps):
    breaker = breaker_for(on_qloapps, "hotel_ari", failure_threshold=1)
    breaker.record_failure()

    page = scrape(client)
    assert value(page, "hotelagent_pms_circuit_state", tenant="hotel-sol", endpoint="hotel_ari") == 2


def test_an_open_circuit_past_its_recovery_time_is_half_open(client, on_qloapps, settings):
    settings.PMS_CIRCUIT_RECOVERY_SECONDS = 30
    open_in_another_process(f"pms-circuit:{on_qloapps.pk}:bookings", time.time() - 31)

    assert value(scrape(client), "hotelagent_pms_circuit_state", tenant="hotel-sol", endpoint="bookings") == 1


def test_hotels_keeping_rooms_in_our_database_have_no_circuit(client, tenant):
    page = scrape(client)

    assert "# TYPE hotelagent_pms_circuit_state gauge" in page
    assert value(page, "hotelagent_pms_circuit_state", tenant="hotel-sol", endpoint="bookings") is None


def test_the_graph_api_circuit_is_read_from_the_cache(client, settings, db):
    settings.WHATSAPP_CIRCUIT_FAILURE_THRESHOLD = 1
    assert value(scrape(client), "hotelagent_graph_api_circuit_state") == 0

    graph_api_circuit().record_failure()

    assert value(scrape(client), "hotelagent_graph_api_circuit_state") == 2


def test_the_audit_chain_gauge_reads_the_last_verification_from_the_database(client, tenant, monkeypatch):
    audit.record(audit.Type.CONFIGURATION, tenant=tenant, action="something")
    assert value(scrape(client), "hotelagent_audit_chain_broken", chain=f"tenant:{tenant.pk}") is None

    verify_audit_chains()
    cache.clear()  # another process, with nothing cached
    monkeypatch.setattr(chain, "verify_chains", lambda *a: pytest.fail("a scrape verified the chain"))

    page = scrape(client)
    assert value(page, "hotelagent_audit_chain_broken", chain=f"tenant:{tenant.pk}") == 0
    assert value(page, "hotelagent_audit_chain_broken", chain="global") == 0


def test_a_broken_chain_shows_from_the_next_scrape_on(client, tenant):
    verify_audit_chains()
    assert value(scrape(client), "hotelagent_audit_chain_broken", chain=f"tenant:{tenant.pk}") == 0
    with scopes_disabled():
        AuditEvent.objects.create(tenant=tenant, event_type="CONFIGURATION", action="around the chain")

    assert verify_audit_chains() == 1

    assert value(scrape(client), "hotelagent_audit_chain_broken", chain=f"tenant:{tenant.pk}") == 1


def test_the_gauge_reads_the_scrapes_clock_not_the_breakers(client, on_qloapps, monkeypatch):
    opened_at = time.time()
    open_in_another_process(f"pms-circuit:{on_qloapps.pk}:bookings", opened_at)
    monkeypatch.setattr(reservation_metrics.pms_circuits, "clock", lambda: opened_at + 3600)

    assert value(scrape(client), "hotelagent_pms_circuit_state", tenant="hotel-sol", endpoint="bookings") == 1
