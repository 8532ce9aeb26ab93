import logging

import pytest
from prometheus_client import REGISTRY

from security import audit
from security.tasks import verify_audit_chains

pytestmark = pytest.mark.django_db


def broken_gauge(chain: str):
    return REGISTRY.get_sample_value("hotelagent_audit_chain_broken", {"chain": chain})


def test_intact_chains_report_nothing_broken(tenant):
    audit.record(audit.Type.CONFIGURATION, tenant=tenant)

    assert verify_audit_chains() == 0
    assert broken_gauge(f"tenant:{tenant.pk}") == 0


def test_a_broken_chain_is_logged_critical_and_raises_its_gauge(tenant, other_tenant, tamper, caplog):
    event = audit.record(audit.Type.CONFIGURATION, tenant=tenant)
    audit.record(audit.Type.CONFIGURATION, tenant=other_tenant)
    with tamper() as rows:
        rows.filter(pk=event.pk).update(actor="someone else")

    with caplog.at_level(logging.CRITICAL, logger="security.tasks"):
        assert verify_audit_chains() == 1

    assert broken_gauge(f"tenant:{tenant.pk}") == 1
    assert broken_gauge(f"tenant:{other_tenant.pk}") == 0
    assert f"audit chain tenant:{tenant.pk} is broken: event {event.pk}" in caplog.text
