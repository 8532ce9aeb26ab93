"""Counts every request (its latency bucket, and 5xx answers) into the shared
per-minute counters the autoscaling evaluation reads, and once a minute adds
this host's CPU and memory to them.

It must cost next to nothing and never fail a request. A request adds to this
process's own counts, which are written to the cache at most every
SCALING_COUNTS_WRITE_SECONDS (0.5 s; 0 writes each request as it ends): under
load a cache round trip per request was a tenth of the webhook's time, and now
a few are shared by hundreds of requests. A timer writes what a quiet moment
left behind, so the minute the evaluation reads is complete a moment after it
ends; a process that dies loses at most that half second of counts. Host
samples (three more operations once a minute) are written at once. Nothing for
`/metrics` and the health probes; a cache that is down is logged once per
outage and otherwise ignored (its counts are dropped, not piled up).
"""
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings

from . import counters, host
from .batch import batch

logger = logging.getLogger(__name__)

NOT_COUNTED = ("/metrics", "/health/")
FIRST_HOST_SAMPLE_AFTER = 10  # seconds: a CPU figure needs time since host.prime()
clock = time.time  # which minute a request is counted in; tests replace it


class RequestCountingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.counter = RequestCounter()

    def __call__(self, request):
        if request.path_info.startswith(NOT_COUNTED):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        self.counter.count(time.perf_counter() - started, response.status_code)
        return response


class RequestCounter:
    """One process's counting, shared by the middleware and the WSGI front that
    answers webhook deliveries before Django's request cycle (hotelagent/intake_wsgi.py)."""

    def __init__(self) -> None:
        self._failing = False
        self._host_lock = threading.Lock()
        host.prime()
        self._next_host_sample = clock() + FIRST_HOST_SAMPLE_AFTER

    def count(self, duration: float, status: int) -> None:
        """One answered request, `duration` seconds long."""
        now = clock()
        keys = counters.request_keys(duration_seconds=duration, status=status, at=now)
        counts_due = batch.add(keys, interval=settings.SCALING_COUNTS_WRITE_SECONDS,
                               write_later=self._write_later)
        host_due = self._host_sample_due(now)
        if counts_due or host_due:
            self._written(lambda: self._write(now, counts=counts_due, host_sample=host_due))

    def _write_later(self) -> None:
        self._written(lambda: self._write(clock(), counts=True, host_sample=False))

    def _write(self, now: float, *, counts: bool, host_sample: bool) -> None:
        if counts:
            counters.add_many(batch.take())
        if host_sample:
            counters.record_host(cpu_percent=host.cpu_since_last_call(),
                                 memory_percent=host.memory_percent(), at=now)

    def _written(self, write: Callable[[], None]) -> None:
        try:
            write()
        except Exception:  # the cache is down: the request still gets its answer
            if not self._failing:
                self._failing = True
                logger.warning("request counters for autoscaling not written: the cache failed",
                               exc_info=True)
            return
        if self._failing:
            self._failing = False
            logger.info("request counters for autoscaling written again")

    def _host_sample_due(self, now: float) -> bool:
        with self._host_lock:
            if now < self._next_host_sample:
                return False
            self._next_host_sample = now + counters.MINUTE_SECONDS
            return True
