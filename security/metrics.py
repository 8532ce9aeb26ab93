"""Security metrics, and the scrape-time helpers every app's collectors share.

`hotelagent_audit_chain_broken{chain}` is not a gauge a process sets: the hourly
verification (security.tasks) runs in one Celery worker while Prometheus scrapes
every web process, so the verification stores its result in the database (an
`audit_chains_verified` event of the global chain) and each scrape reads the
newest one back. Chains of active hotels the result does not name as broken
are 0; the chain is never verified on a scrape.
"""
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from prometheus_client import REGISTRY, Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

#: Security-relevant actions are named (a fixed set in code); others count by type alone.
NAMED_ACTION_TYPES = ("AUTH_FAILURE", "ACCESS_DENIED", "SUSPICIOUS_ACTIVITY")
audit_events = Counter(
    "hotelagent_audit_events_total",
    "Audit events recorded, by type; auth failures, refusals and suspicious activity also by action",
    ["type", "action"],
)

#: Seconds a scrape-time figure read from the database is kept in the cache, so
#: every process, and every scrape within the minute, shares one computation.
SCRAPE_CACHE_SECONDS = 60
VERIFIED_ACTION = "audit_chains_verified"
AUDIT_CHAINS_CACHE_KEY = "metrics:audit-chains"


def cached_for_scrapes(key: str, compute: Callable[[], Any]) -> Any:
    """compute(), shared through the cache for SCRAPE_CACHE_SECONDS; a cache
    that fails only costs the computation."""
    try:
        value = cache.get(key)
    except Exception:  # a scrape must not fail because the cache did
        logger.warning("metrics: cache unreadable, %s computed afresh", key, exc_info=True)
        value = None
    if value is None:
        value = compute()
        try:
            cache.set(key, value, SCRAPE_CACHE_SECONDS)
        except Exception:
            logger.warning("metrics: %s not cached", key, exc_info=True)
    return value


class ScrapeTimeCollector(Collector):
    """One gauge family computed when Prometheus asks. `samples()` returns
    (label values, value) pairs; when it fails the family is served empty and
    the failure logged, so one broken source never fails the whole scrape."""

    name = ""
    documentation = ""
    labels: tuple[str, ...] = ()

    def describe(self):
        return [GaugeMetricFamily(self.name, self.documentation, labels=self.labels)]  # reads nothing

    def collect(self):
        family = GaugeMetricFamily(self.name, self.documentation, labels=self.labels)
        try:
            for label_values, value in self.samples():
                family.add_metric(label_values, value)
        except Exception:
            logger.warning("metrics: %s could not be computed", self.name, exc_info=True)
        yield family

    def samples(self) -> list[tuple[list[str], float]]:
        raise NotImplementedError


def verification_result(*, chains: int, broken: dict[str, str]) -> dict:
    """What one verification stores: how many chains it walked and the broken ones."""
    return {"chains": chains, "broken": broken}


def forget_audit_chains() -> None:
    """A new verification result: the next scrape reads it, not the cached one."""
    try:
        cache.delete(AUDIT_CHAINS_CACHE_KEY)
    except Exception:
        logger.warning("metrics: cached audit chain result not dropped", exc_info=True)


def _audit_chains() -> list[tuple[list[str], float]]:
    from django_scopes import scopes_disabled

    from tenants.models import Tenant

    from .chain import GLOBAL, chain_name
    from .models import AuditEvent

    with scopes_disabled():
        last = (
            AuditEvent.objects.filter(tenant__isnull=True, event_type=AuditEvent.Type.CONFIGURATION,
                                      action=VERIFIED_ACTION)
            .order_by("-created_at", "-id").values_list("details", flat=True).first()
        )
    if last is None:  # never verified: nothing to say yet
        return []
    broken = set(last.get("broken") or {})
    active = Tenant.objects.filter(is_active=True).values_list("pk", flat=True)
    chains = {GLOBAL, *(chain_name(pk) for pk in active)}
    return [([chain], 1 if chain in broken else 0) for chain in sorted(chains | broken)]


class AuditChainCollector(ScrapeTimeCollector):
    name = "hotelagent_audit_chain_broken"
    documentation = "1 when the last verification found the audit chain broken, else 0"
    labels = ("chain",)

    def samples(self):
        return cached_for_scrapes(AUDIT_CHAINS_CACHE_KEY, _audit_chains)


audit_chains = AuditChainCollector()
REGISTRY.register(audit_chains)
