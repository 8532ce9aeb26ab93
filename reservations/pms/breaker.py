"""A circuit breaker per PMS endpoint per hotel, whose state every process shares.

The state machine and its shared storage are `security.circuit.SharedCircuit`
(read there why not pybreaker); this subclass names a circuit per hotel and
endpoint, counts only `PMSCallFailed` as a failure, refuses with `CircuitOpen`
(a PMSUnavailable, so every caller degrades the same way), and reports each
change in the log and as a CONFIGURATION audit event
(`hotelagent_pms_circuit_state` is read from the shared state at scrape time).

A change often happens inside a booking transaction that is about to roll back
because of the very failure that opened the circuit, so those audit rows are
written after commit, or by `record_pending_audits()` once the transaction is
over (booking services and the next call outside a transaction do it). When a
circuit closes, the hotel's pending bookings are queued.
"""
import logging
import threading
import time
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from security import audit
from security.circuit import SharedCircuit, State

from .. import metrics  # noqa: F401 - registers the scrape-time circuit gauge
from .errors import CircuitOpen, PMSCallFailed

logger = logging.getLogger(__name__)

__all__ = ["ENDPOINTS", "CircuitBreaker", "State", "breaker_for", "circuit_states", "counts_as_failure"]

ENDPOINTS = ("hotel_ari", "bookings", "hotel_room_types")
SYSTEM_ACTOR = "system:pms-circuit"


def counts_as_failure(error: BaseException) -> bool:
    """Timeouts, connection errors, 5xx and garbage count; a request the PMS
    refused (PMSRejected, Unavailable…) means it is alive and answering."""
    return isinstance(error, PMSCallFailed)


class CircuitBreaker(SharedCircuit):
    open_error = CircuitOpen
    action_prefix = "pms_circuit"

    def __init__(
        self,
        *,
        tenant,
        endpoint: str,
        failure_threshold: int | None = None,
        recovery_timeout: float | None = None,
        trial_timeout: float | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.tenant = tenant
        self.endpoint = endpoint
        super().__init__(
            key=f"pms-circuit:{tenant.pk}:{endpoint}",
            failure_threshold=failure_threshold or settings.PMS_CIRCUIT_FAILURE_THRESHOLD,
            recovery_timeout=(
                settings.PMS_CIRCUIT_RECOVERY_SECONDS if recovery_timeout is None else recovery_timeout
            ),
            trial_timeout=trial_timeout or (tenant.pms_connect_timeout + tenant.pms_read_timeout + 1),
            clock=clock,
        )

    def __repr__(self) -> str:
        return f"<CircuitBreaker {self.tenant.slug}/{self.endpoint}>"

    def counts_as_failure(self, error: BaseException) -> bool:
        return counts_as_failure(error)

    def before_call(self) -> bool:
        record_pending_audits()
        return super().before_call()

    def reset(self, *, actor: str, ip_address: str | None = None) -> State:
        """Close the circuit by hand (the admin's "Reset PMS circuit breaker");
        audited when it was not closed."""
        return super().reset(actor=actor, ip_address=ip_address)

    def _closed(self) -> None:
        _retry_pending_bookings_after_commit(self.tenant)

    def _changed(self, state: State, action: str, *, actor: str = SYSTEM_ACTOR,
                 ip_address: str | None = None, **details) -> None:
        log = logger.warning if state == State.OPEN else logger.info
        log("PMS circuit %s/%s is %s (%s) %s", self.tenant.slug, self.endpoint, state.label, action,
            details or "")
        _audit({
            "event_type": audit.Type.CONFIGURATION, "tenant": self.tenant, "action": action,
            "actor": actor, "ip_address": ip_address, "resource": f"pms:{self.endpoint}",
            "details": {"state": state.label, "endpoint": self.endpoint, **details},
        })


def breaker_for(tenant, endpoint: str, **options) -> CircuitBreaker:
    return CircuitBreaker(tenant=tenant, endpoint=endpoint, **options)


def circuit_states(tenant) -> dict[str, State]:
    """Every endpoint's state for one hotel, read in one cache round trip."""
    breakers = {endpoint: breaker_for(tenant, endpoint) for endpoint in ENDPOINTS}
    opened = cache.get_many([breaker._open_key for breaker in breakers.values()])
    states = {}
    for endpoint, breaker in breakers.items():
        states[endpoint] = breaker._state_at(opened.get(breaker._open_key))
    return states


def _retry_pending_bookings_after_commit(tenant) -> None:
    from ..tasks import enqueue_pending_booking_retry  # tasks → services → pms: import when needed

    transaction.on_commit(partial(enqueue_pending_booking_retry, tenant.pk))


# --- audit rows that survive the rollback of the failing booking ---------------

_held = threading.local()


def _queue() -> dict:
    if not hasattr(_held, "events"):
        _held.events = {}
    return _held.events


def _write(event: dict) -> None:
    try:
        with transaction.atomic():  # a savepoint: a failed insert leaves the caller's transaction usable
            audit.record(event.pop("event_type"), **event)
    except Exception:  # an audit failure must not turn a PMS outage into a crash
        logger.exception("could not audit PMS circuit change %s", event.get("action"))


def _write_held(token: object) -> None:
    event = _queue().pop(token, None)
    if event is not None:
        _write(event)


def _audit(event: dict) -> None:
    if not transaction.get_connection().in_atomic_block:
        _write(event)
        return
    token = object()
    _queue()[token] = event
    transaction.on_commit(partial(_write_held, token))


def forget_pending_audits() -> None:
    """Drop held events (tests: a test's rolled-back hotel must not leak into the next)."""
    _queue().clear()


def record_pending_audits() -> None:
    """Write circuit changes held for a transaction that ended without committing
    them (a rolled-back booking). Inside a transaction they are re-attached to it."""
    held = _queue()
    if not held:
        return
    if transaction.get_connection().in_atomic_block:
        for token in list(held):
            transaction.on_commit(partial(_write_held, token))
        return
    for token in list(held):
        _write_held(token)
