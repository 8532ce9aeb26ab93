"""`hotelagent_desired_instances`: the target of the last decision, for an external
autoscaler (deploy/autoscaling/: KEDA or an HPA on external metrics).

The decision is taken in a Celery worker, but Prometheus scrapes the web
processes: so the target goes to the cache, and every process's `/metrics` reads
it from there at scrape time (one GET). It lives ten minutes: when the
evaluations stop (no beat, no worker) the gauge disappears instead of holding a
stale number, and the autoscaler falls back to what it was told to do then. A
cache that cannot be read shows the value this process published itself, if any.
"""
import logging
import time

from django.core.cache import cache
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

NAME = "hotelagent_desired_instances"
DOCUMENTATION = "Instances the last autoscaling evaluation asks for (absent when none is recent)"
CACHE_KEY = "scaling:desired-instances"
TTL_SECONDS = 10 * 60

_published = {"value": None, "until": 0.0}
_collector = None


def publish(target: int) -> None:
    _published.update(value=target, until=time.monotonic() + TTL_SECONDS)
    try:
        cache.set(CACHE_KEY, target, timeout=TTL_SECONDS)
    except Exception:
        logger.warning("autoscaling: desired instances not published, the cache failed", exc_info=True)


def desired_instances() -> int | None:
    try:
        value = cache.get(CACHE_KEY)
    except Exception:  # a scrape must not fail because the cache did
        value = None
    if value is None and time.monotonic() < _published["until"]:
        value = _published["value"]
    return value


class DesiredInstancesCollector(Collector):
    def describe(self):
        return [GaugeMetricFamily(NAME, DOCUMENTATION)]  # registering reads nothing

    def collect(self):
        family = GaugeMetricFamily(NAME, DOCUMENTATION)
        value = desired_instances()
        if value is not None:
            family.add_metric([], value)
        yield family


def register(registry=REGISTRY) -> None:
    global _collector
    if _collector is None:
        _collector = DesiredInstancesCollector()
        registry.register(_collector)
