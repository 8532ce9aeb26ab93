"""Counts every request (its latency bucket, and 5xx answers) into the shared
per-minute counters the autoscaling evaluation reads, and once a minute adds
this host's CPU and memory to them.

It must cost next to nothing and never fail a request: one cache operation per
request (two for a 5xx, three more once a minute), none for `/metrics` and the
health probes, and a cache that is down is logged once per outage and otherwise
ignored.
"""
import logging
import threading
import time

from . import counters, host

logger = logging.getLogger(__name__)

NOT_COUNTED = ("/metrics", "/health/")
FIRST_HOST_SAMPLE_AFTER = 10  # seconds: a CPU figure needs time since host.prime()
clock = time.time  # which minute a request is counted in; tests replace it


class RequestCountingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._failing = False
        self._host_lock = threading.Lock()
        host.prime()
        self._next_host_sample = clock() + FIRST_HOST_SAMPLE_AFTER

    def __call__(self, request):
        if request.path_info.startswith(NOT_COUNTED):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        self._count(time.perf_counter() - started, response.status_code)
        return response

    def _count(self, duration: float, status: int) -> None:
        now = clock()
        try:
            counters.record_request(duration_seconds=duration, status=status, at=now)
            if self._host_sample_due(now):
                counters.record_host(cpu_percent=host.cpu_since_last_call(),
                                     memory_percent=host.memory_percent(), at=now)
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
