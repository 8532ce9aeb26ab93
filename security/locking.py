"""Locks that give up.

Writers that must not interleave take transaction-scoped PostgreSQL advisory
locks with `locked(*names)`: one guest's bookings (so concurrent requests cannot
all slip under the active-reservation limit), one audit chain's appends, one
secret's rotations. Modelled on pretix's `lock_objects`:

- the lock timeout (`SET LOCAL lock_timeout`) is set first, so every lock the transaction waits for
  from then on gives up after LOCK_TIMEOUT_SECONDS instead of waiting until the
  worker is killed: the advisory locks, and also the `SELECT … FOR UPDATE` of
  inventory rows a booking takes next (the setting lasts for the transaction);
- the names are hashed to 64-bit keys taken in ascending order, so two
  transactions locking the same names never deadlock;
- PostgreSQL's lock_not_available (SQLSTATE 55P03) raised anywhere in the block
  becomes `Busy`, raised once the block's transaction, or savepoint, has rolled
  back: the failed statement aborted it, so nothing more may run in it.

Nothing was changed when Busy is raised, and the same call is expected to work a
moment later: the API answers 409 `busy` with Retry-After (never stored against
an Idempotency-Key), the agent asks the guest to try again, Celery tasks retry.

SQLite has a single writer, which serializes these transactions by itself:
there `locked` is plain `transaction.atomic()`.
"""
import hashlib
import logging
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction

logger = logging.getLogger(__name__)

LOCK_NOT_AVAILABLE = "55P03"  # SQLSTATE of psycopg.errors.LockNotAvailable


class Busy(Exception):
    """Another transaction held a lock this one needed for longer than
    LOCK_TIMEOUT_SECONDS. Nothing was changed; try again after `retry_after` seconds."""

    code = "busy"

    def __init__(self, message: str = "", *, retry_after: int | None = None):
        super().__init__(message or "Another request holds a lock this one needs; try again.")
        self.retry_after = retry_after_seconds() if retry_after is None else max(1, int(retry_after))


def retry_after_seconds() -> int:
    """Whole seconds worth waiting before a retry: about one lock timeout."""
    return max(1, math.ceil(settings.LOCK_TIMEOUT_SECONDS))


def lock_key(name: str) -> int:
    """`name` as a signed 64-bit advisory-lock key."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def lock_keys(names: Iterable[str]) -> list[int]:
    """The keys of `names`, each once, in the order they are taken."""
    return sorted({lock_key(name) for name in names})


def is_lock_timeout(error: BaseException) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE


@contextmanager
def locked(*names: str, savepoint: bool = True) -> Iterator[None]:
    """A transaction (a savepoint inside one) holding the advisory locks `names`
    until the outermost transaction ends, in which no lock is waited for longer
    than LOCK_TIMEOUT_SECONDS. With no names it only sets that timeout.
    Raises Busy when a lock was not granted in time.

    `savepoint=False` inside a transaction saves the savepoint's two round trips
    for a caller that lets Busy (or any error) end its own enclosing block: the
    failed statement then leaves that block to roll back, as Django's
    atomic(savepoint=False) does, so nothing may catch it in between."""
    try:
        with transaction.atomic(savepoint=savepoint):
            if connection.vendor == "postgresql":
                _lock(names)
            yield
    except OperationalError as error:
        if not is_lock_timeout(error):
            raise
        # Not the names: a guest's lock is named after their email and phone.
        logger.warning("gave up waiting for a lock after %ss", settings.LOCK_TIMEOUT_SECONDS)
        raise Busy() from error


def _lock(names: tuple[str, ...]) -> None:
    """The timeout and every lock in one statement: a booking takes its guest's
    locks and then its hotel's audit chain, and each statement sent separately
    was a round trip of its own inside the booking's transaction. unnest hands
    the keys to the lock function in array order, ascending; the WHERE clause,
    which names no column, still runs for each row before that row's lock (a
    volatile function is never hoisted into a one-time filter), so the timeout
    is in force before the first lock is asked for. One statement with
    parameters works under client- and server-side binding alike."""
    timeout = f"{max(1, round(settings.LOCK_TIMEOUT_SECONDS * 1000)):d}ms"
    keys = lock_keys(names)
    with connection.cursor() as cursor:
        if keys:
            cursor.execute(_LOCKS, [keys, timeout])
        else:
            cursor.execute(_TIMEOUT, [timeout])


# set_config(…, true) is SET LOCAL: it lasts until the transaction ends.
_TIMEOUT = "SELECT set_config('lock_timeout', %s, true)"
_LOCKS = ("SELECT pg_advisory_xact_lock(key) FROM unnest(%s::bigint[]) AS key"
          " WHERE set_config('lock_timeout', %s, true) IS NOT NULL")
