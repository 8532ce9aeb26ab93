"""The registries /metrics and the Celery exporter serve.

Two kinds of series:

- counted where things happen (Counter, Histogram objects in each app's
  `metrics.py`, django-prometheus' request/database/cache series). Under
  gunicorn every worker is a process of its own, so with PROMETHEUS_MULTIPROC_DIR
  set (deploy/gunicorn.conf.py) prometheus_client writes each process's samples to
  that directory and a scrape sums them, whichever worker answers;
- computed at scrape time from what every process shares (the collectors each app
  registers on prometheus_client's REGISTRY: circuits from the cache, occupancy,
  satisfaction and the audit chain from the database, the autoscaling target).
  django-prometheus' own view builds a fresh registry in multiprocess mode and
  would leave these out; this one adds them to it.

A Celery worker serves only the first kind: the second is the web's to serve, and
Prometheus would otherwise get the same gauge from two jobs.
"""
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.gc_collector import GCCollector
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

# Importing them registers their scrape-time collectors.
from reservations import metrics as _reservations_metrics  # noqa: F401
from security import metrics as _security_metrics  # noqa: F401
from webhooks import metrics as _webhooks_metrics  # noqa: F401

# A `_created` sample per counter and histogram doubles their series; the
# multiprocess collector never has them, so neither mode shows them.
disable_created_metrics()

_PER_PROCESS = (MetricWrapperBase, ProcessCollector, PlatformCollector, GCCollector)


def _registered() -> list:
    with REGISTRY._lock:  # prometheus_client keeps no public list of its collectors
        return list(REGISTRY._collector_to_names)


def scrape_time_collectors() -> list:
    """Collectors registered on REGISTRY that compute their samples when asked."""
    return [collector for collector in _registered() if not isinstance(collector, _PER_PROCESS)]


class _ThisProcess:
    """REGISTRY's per-process samples only (single-process mode, Celery)."""

    def collect(self):
        for collector in _registered():
            if isinstance(collector, _PER_PROCESS):
                yield from collector.collect()


def multiprocess() -> bool:
    return bool(settings.PROMETHEUS_MULTIPROC_DIR)


def web_registry():
    """What /metrics serves: every process's samples and the scrape-time gauges."""
    if not multiprocess():
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=settings.PROMETHEUS_MULTIPROC_DIR)
    for collector in scrape_time_collectors():
        registry.register(collector)
    return registry


def worker_registry() -> CollectorRegistry:
    """What a Celery worker's exporter serves: what its processes counted."""
    registry = CollectorRegistry()
    if multiprocess():
        MultiProcessCollector(registry, path=settings.PROMETHEUS_MULTIPROC_DIR)
    else:
        registry.register(_ThisProcess())
    return registry


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, summed over the server's processes (hotelagent/urls.py protects it)."""
    return HttpResponse(generate_latest(web_registry()), content_type=CONTENT_TYPE_LATEST)
