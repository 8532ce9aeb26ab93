"""A bulkhead per PMS: at most `max_concurrent` calls in flight to one hotel's PMS
from this process and at most `max_queue` waiting for a turn, each for at most
`max_wait` seconds. Anything beyond fails at once with BulkheadFull, which the
callers treat like any other unavailability (last known copy, pending booking).

So a slow PMS can hold only a few of a process's threads: web workers and
Celery keep serving every other hotel and everything that needs no PMS. The
limit is per process on purpose: it protects this process's threads, and the
PMS sees at most processes × max_concurrent calls.
"""
import contextlib
import threading

from django.conf import settings

from .. import metrics
from .errors import BulkheadFull


class Bulkhead:
    def __init__(self, name: str, *, max_concurrent: int = 5, max_queue: int = 50):
        self.name = name
        self.max_concurrent = max_concurrent
        self.max_queue = max_queue
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self._lock = threading.Lock()
        self._in_flight = 0
        self._waiting = 0

    def __repr__(self) -> str:
        return f"<Bulkhead {self.name}: {self._in_flight} in flight, {self._waiting} waiting>"

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def waiting(self) -> int:
        return self._waiting

    @contextlib.contextmanager
    def slot(self, *, max_wait: float | None = None):
        """Hold one of the slots for the duration of the block."""
        if not self._slots.acquire(blocking=False):
            self._wait_for_slot(max_wait)
        with self._lock:
            self._in_flight += 1
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1
            self._slots.release()

    def _wait_for_slot(self, max_wait: float | None) -> None:
        with self._lock:
            if self._waiting >= self.max_queue:
                raise BulkheadFull(f"{self!r}: queue full")
            self._waiting += 1
        try:
            acquired = self._slots.acquire(timeout=max_wait)
        finally:
            with self._lock:
                self._waiting -= 1
        if not acquired:
            raise BulkheadFull(f"{self!r}: no slot within {max_wait} s")


_bulkheads: dict[str, Bulkhead] = {}
_registry_lock = threading.Lock()


def bulkhead_for(tenant) -> Bulkhead:
    """This process's bulkhead for the tenant's PMS (one per hotel: each has its own)."""
    name = tenant.slug
    with _registry_lock:
        bulkhead = _bulkheads.get(name)
        if bulkhead is None:
            bulkhead = _bulkheads[name] = Bulkhead(
                name, max_concurrent=settings.PMS_BULKHEAD_MAX_CONCURRENT,
                max_queue=settings.PMS_BULKHEAD_MAX_QUEUE,
            )
        return bulkhead


def forget_bulkheads() -> None:
    """Drop every bulkhead (tests that change the limits in settings)."""
    with _registry_lock:
        _bulkheads.clear()


def count_rejection(tenant, endpoint: str) -> None:
    metrics.pms_calls.labels(tenant=tenant.slug, endpoint=endpoint, outcome="bulkhead_full").inc()
