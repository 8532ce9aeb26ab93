"""A circuit breaker per PMS endpoint per hotel, whose state every process shares.

CLOSED lets calls through and counts consecutive failures; at
`failure_threshold` it turns OPEN and refuses calls (CircuitOpen, with the
seconds left) for `recovery_timeout`. After that it is HALF_OPEN: exactly one
call, in whichever process asks first, is let through as a trial. Success closes
the circuit; failure opens it for another `recovery_timeout`.

The state lives in the Django cache (Redis in production) so web and Celery
processes agree on it, and a new instance, in any process, sees the same state:

- `<key>:open` holds the time the circuit opened (absent = closed). It is written
  with `cache.add`, so when several processes cross the threshold together only
  one opens the circuit and reports it. HALF_OPEN is not stored: it is "open and
  the recovery time has passed", which every process computes alike.
- `<key>:failures` is the consecutive-failure counter, incremented with
  `cache.incr` (atomic on Redis); any success deletes it.
- `<key>:trial` is the half-open trial's lock, taken with `cache.add` and a TTL a
  little longer than one call may last, so a process that dies mid-trial only
  delays the next trial.

Why not pybreaker: its Redis storage reads the state, decides and writes it back
in separate commands, so two processes can both make the half-open trial or lose
each other's failure counts, and `fail_counter` is reset by whichever instance
writes last. The few lines here rely only on the atomic `add` and `incr`.

Times come from `clock` (epoch seconds, injectable: tests move it instead of
sleeping); across hosts they assume NTP-synchronised clocks.

State changes are logged, counted in `hotelagent_pms_circuit_state` and audited
as CONFIGURATION events. A change often happens inside a booking transaction that
is about to roll back because of the very failure that opened the circuit, so
those audit rows are written after commit, or by `record_pending_audits()` once
the transaction is over (booking services and the next call outside a
transaction do it).
"""
import enum
import logging
import math
import threading
import time
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from security import audit

from .. import metrics
from .errors import CircuitOpen, PMSCallFailed

logger = logging.getLogger(__name__)

ENDPOINTS = ("hotel_ari", "bookings", "hotel_room_types")
SYSTEM_ACTOR = "system:pms-circuit"


class State(enum.IntEnum):
    CLOSED = 0
    HALF_OPEN = 1
    OPEN = 2

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")


def counts_as_failure(error: BaseException) -> bool:
    """Timeouts, connection errors, 5xx and garbage count; a request the PMS
    refused (PMSRejected, Unavailable…) means it is alive and answering."""
    return isinstance(error, PMSCallFailed)


class CircuitBreaker:
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
        self.failure_threshold = failure_threshold or settings.PMS_CIRCUIT_FAILURE_THRESHOLD
        self.recovery_timeout = (
            settings.PMS_CIRCUIT_RECOVERY_SECONDS if recovery_timeout is None else recovery_timeout
        )
        self.trial_timeout = trial_timeout or (tenant.pms_connect_timeout + tenant.pms_read_timeout + 1)
        self.clock = clock
        key = f"pms-circuit:{tenant.pk}:{endpoint}"
        self._open_key, self._failures_key, self._trial_key = f"{key}:open", f"{key}:failures", f"{key}:trial"

    def __repr__(self) -> str:
        return f"<CircuitBreaker {self.tenant.slug}/{self.endpoint}>"

    # --- reading -----------------------------------------------------------

    def _state_at(self, opened_at: float | None) -> State:
        if opened_at is None:
            return State.CLOSED
        return State.OPEN if self.clock() < opened_at + self.recovery_timeout else State.HALF_OPEN

    @property
    def state(self) -> State:
        state = self._state_at(cache.get(self._open_key))
        self._export(state)
        return state

    @property
    def failures(self) -> int:
        return cache.get(self._failures_key) or 0

    def retry_after(self) -> int:
        """Seconds until a trial call may be made; 0 unless open."""
        opened_at = cache.get(self._open_key)
        if opened_at is None:
            return 0
        return max(0, math.ceil(opened_at + self.recovery_timeout - self.clock()))

    # --- calling -----------------------------------------------------------

    def call(self, fn: Callable, *args, **kwargs):
        """fn(*args, **kwargs) through the breaker. Raises CircuitOpen without
        calling fn while the circuit is open (or another process holds the trial)."""
        trial = self.before_call()
        try:
            result = fn(*args, **kwargs)
        except Exception as error:
            if counts_as_failure(error):
                self.record_failure(trial=trial, error=error)
            else:
                self.record_success(trial=trial)
            raise
        except BaseException:
            if trial:
                cache.delete(self._trial_key)
            raise
        self.record_success(trial=trial)
        return result

    def before_call(self) -> bool:
        """Whether the coming call is the half-open trial; CircuitOpen if it may not be made."""
        record_pending_audits()
        opened_at = cache.get(self._open_key)
        if opened_at is None:
            return False
        now = self.clock()
        if now < opened_at + self.recovery_timeout:
            raise CircuitOpen(
                f"{self!r} is open", retry_after=math.ceil(opened_at + self.recovery_timeout - now)
            )
        if not cache.add(self._trial_key, opened_at, timeout=math.ceil(self.trial_timeout)):
            raise CircuitOpen(f"{self!r}: another process is making the trial call",
                              retry_after=math.ceil(self.trial_timeout))
        if cache.get(self._open_key) != opened_at:  # closed or reopened meanwhile: re-decide
            cache.delete(self._trial_key)
            return self.before_call()
        self._changed(State.HALF_OPEN, "pms_circuit_half_open", opened_at=opened_at)
        return True

    def record_success(self, *, trial: bool = False) -> None:
        if trial:
            cache.delete_many([self._open_key, self._failures_key, self._trial_key])
            self._changed(State.CLOSED, "pms_circuit_closed")
            _retry_pending_bookings_after_commit(self.tenant)
        elif cache.get(self._failures_key):
            cache.delete(self._failures_key)

    def record_failure(self, *, trial: bool = False, error: BaseException | None = None) -> None:
        reason = f"{type(error).__name__}: {error}"[:300] if error else ""
        if trial:
            cache.set(self._open_key, self.clock(), timeout=None)
            cache.delete(self._trial_key)
            self._changed(State.OPEN, "pms_circuit_reopened", error=reason)
            return
        failures = self._count_failure()
        if failures >= self.failure_threshold and cache.add(self._open_key, self.clock(), timeout=None):
            cache.delete(self._failures_key)
            self._changed(State.OPEN, "pms_circuit_opened", failures=failures, error=reason)

    def reset(self, *, actor: str, ip_address: str | None = None) -> State:
        """Close the circuit by hand (the admin's "Reset PMS circuit breaker") and
        forget counted failures; returns the state it had. Only a circuit that was
        not closed is reported and audited."""
        was = self.state
        cache.delete_many([self._open_key, self._failures_key, self._trial_key])
        if was != State.CLOSED:
            self._changed(State.CLOSED, "pms_circuit_reset", actor=actor, ip_address=ip_address,
                          previous=was.label)
            _retry_pending_bookings_after_commit(self.tenant)
        return was

    # --- bookkeeping -------------------------------------------------------

    def _count_failure(self) -> int:
        ttl = max(300, math.ceil(self.recovery_timeout * 10))  # "consecutive" within minutes, not days
        for _attempt in range(3):
            cache.add(self._failures_key, 0, timeout=ttl)
            try:
                return cache.incr(self._failures_key)
            except ValueError:  # expired between add and incr
                continue
        return 1

    def _export(self, state: State) -> None:
        metrics.pms_circuit_state.labels(tenant=self.tenant.slug, endpoint=self.endpoint).set(int(state))

    def _changed(self, state: State, action: str, *, actor: str = SYSTEM_ACTOR,
                 ip_address: str | None = None, **details) -> None:
        self._export(state)
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
        breaker._export(states[endpoint])
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
