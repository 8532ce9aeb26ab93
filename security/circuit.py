"""A circuit breaker whose state every process shares, for any remote service.

CLOSED lets calls through and counts consecutive failures; at
`failure_threshold` it turns OPEN and refuses calls (`open_error`, with the
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

Subclasses say what counts as a failure, which exception a refusal raises and
how a state change is reported (`_changed`); the PMS breaker logs and audits
its changes per hotel, the Graph API's logs them.
Times come from `clock` (epoch seconds, injectable: tests move it instead of
sleeping); across hosts they assume NTP-synchronised clocks.
"""
import enum
import logging
import math
import time
from collections.abc import Callable

from django.core.cache import cache

logger = logging.getLogger(__name__)


class State(enum.IntEnum):
    CLOSED = 0
    HALF_OPEN = 1
    OPEN = 2

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")


class CircuitOpenError(Exception):
    """The breaker refused the call without trying: the service failed recently."""

    def __init__(self, message: str = "", *, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class SharedCircuit:
    open_error: type[Exception] = CircuitOpenError
    #: Actions reported by `_changed`, named per service ("pms_circuit_opened"…).
    action_prefix = "circuit"

    def __init__(self, *, key: str, failure_threshold: int, recovery_timeout: float,
                 trial_timeout: float, clock: Callable[[], float] = time.time):
        self.failure_threshold = failure_threshold
        self.recovery_timeout = recovery_timeout
        self.trial_timeout = trial_timeout
        self.clock = clock
        self._open_key, self._failures_key, self._trial_key = f"{key}:open", f"{key}:failures", f"{key}:trial"

    # --- what subclasses decide ---------------------------------------------

    def counts_as_failure(self, error: BaseException) -> bool:
        return True

    def _changed(self, state: State, action: str, **details) -> None:
        """Report a change of state (log, audit). Gauges are not set here: /metrics
        reads the shared state at scrape time, so every process tells one truth."""

    def _closed(self) -> None:
        """The circuit closed after an outage: work held back may go now."""

    # --- reading -----------------------------------------------------------

    def _state_at(self, opened_at: float | None) -> State:
        if opened_at is None:
            return State.CLOSED
        return State.OPEN if self.clock() < opened_at + self.recovery_timeout else State.HALF_OPEN

    def _opened_at(self) -> float | None:
        try:
            return cache.get(self._open_key)
        except Exception as error:  # no shared state: behave as closed (a restarted Redis does too)
            self._cache_failed("read", error)
            return None

    def _cache_failed(self, doing: str, error: BaseException) -> None:
        logger.warning("%r: cache unavailable (%s), circuit treated as closed: %s", self, doing, error)

    @property
    def state(self) -> State:
        return self._state_at(self._opened_at())

    @property
    def failures(self) -> int:
        return cache.get(self._failures_key) or 0

    def retry_after(self) -> int:
        """Seconds until a trial call may be made; 0 unless open."""
        opened_at = self._opened_at()
        if opened_at is None:
            return 0
        return max(0, math.ceil(opened_at + self.recovery_timeout - self.clock()))

    # --- calling -----------------------------------------------------------

    def call(self, fn: Callable, *args, **kwargs):
        """fn(*args, **kwargs) through the breaker. Raises `open_error` without
        calling fn while the circuit is open (or another process holds the trial)."""
        trial = self.before_call()
        try:
            result = fn(*args, **kwargs)
        except Exception as error:
            if self.counts_as_failure(error):
                self.record_failure(trial=trial, error=error)
            else:
                self.record_success(trial=trial)
            raise
        except BaseException:
            self.abandon(trial=trial)
            raise
        self.record_success(trial=trial)
        return result

    # The circuit guards a call; it must never be why the call fails. Without the
    # cache it lets calls through and records nothing (it cannot share what it saw).

    def before_call(self) -> bool:
        """Whether the coming call is the half-open trial; `open_error` if it may not be made."""
        try:
            return self._before_call()
        except self.open_error:
            raise
        except Exception as error:
            self._cache_failed("before a call", error)
            return False

    def _before_call(self) -> bool:
        opened_at = cache.get(self._open_key)
        if opened_at is None:
            return False
        now = self.clock()
        if now < opened_at + self.recovery_timeout:
            raise self.open_error(
                f"{self!r} is open", retry_after=math.ceil(opened_at + self.recovery_timeout - now)
            )
        if not cache.add(self._trial_key, opened_at, timeout=math.ceil(self.trial_timeout)):
            raise self.open_error(f"{self!r}: another process is making the trial call",
                                  retry_after=math.ceil(self.trial_timeout))
        if cache.get(self._open_key) != opened_at:  # closed or reopened meanwhile: re-decide
            cache.delete(self._trial_key)
            return self._before_call()
        self._changed(State.HALF_OPEN, f"{self.action_prefix}_half_open", opened_at=opened_at)
        return True

    def abandon(self, *, trial: bool) -> None:
        """The call was not made after all (or died unjudged): free the trial for another."""
        if trial:
            try:
                cache.delete(self._trial_key)
            except Exception as error:  # its TTL frees it anyway
                self._cache_failed("freeing the trial", error)

    def record_success(self, *, trial: bool = False) -> None:
        try:
            self._record_success(trial)
        except Exception as error:
            self._cache_failed("recording a success", error)

    def record_failure(self, *, trial: bool = False, error: BaseException | None = None) -> None:
        try:
            self._record_failure(trial, error)
        except Exception as cache_error:
            self._cache_failed("recording a failure", cache_error)

    def _record_success(self, trial: bool) -> None:
        if trial:
            cache.delete_many([self._open_key, self._failures_key, self._trial_key])
            self._changed(State.CLOSED, f"{self.action_prefix}_closed")
            self._closed()
        elif cache.get(self._failures_key):
            cache.delete(self._failures_key)

    def _record_failure(self, trial: bool, error: BaseException | None) -> None:
        reason = f"{type(error).__name__}: {error}"[:300] if error else ""
        if trial:
            cache.set(self._open_key, self.clock(), timeout=None)
            cache.delete(self._trial_key)
            self._changed(State.OPEN, f"{self.action_prefix}_reopened", error=reason)
            return
        failures = self._count_failure()
        if failures >= self.failure_threshold and cache.add(self._open_key, self.clock(), timeout=None):
            cache.delete(self._failures_key)
            self._changed(State.OPEN, f"{self.action_prefix}_opened", failures=failures, error=reason)

    def reset(self, **details) -> State:
        """Close the circuit by hand and forget counted failures; returns the state
        it had. Only a circuit that was not closed is reported."""
        was = self.state
        cache.delete_many([self._open_key, self._failures_key, self._trial_key])
        if was != State.CLOSED:
            self._changed(State.CLOSED, f"{self.action_prefix}_reset", previous=was.label, **details)
            self._closed()
        return was

    def _count_failure(self) -> int:
        ttl = max(300, math.ceil(self.recovery_timeout * 10))  # "consecutive" within minutes, not days
        for _attempt in range(3):
            cache.add(self._failures_key, 0, timeout=ttl)
            try:
                return cache.incr(self._failures_key)
            except ValueError:  # expired between add and incr
                continue
        return 1
