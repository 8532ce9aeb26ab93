"""The requests this process counted and has not written to the shared counters yet.

One per process, whichever middleware instance counted them (a test client builds
its own chain; gunicorn's workers one each), and emptied in a forked child: the
parent writes its own. See the middleware's docstring for why counts wait.
"""
import collections
import os
import threading
import time
from collections.abc import Callable, Iterable

monotonic = time.monotonic  # when counts are due to be written; tests replace it


class CountBatch:
    def __init__(self) -> None:
        self._forget()

    def _forget(self) -> None:
        self._lock = threading.Lock()
        self._counts: collections.Counter[str] = collections.Counter()
        self._since: float | None = None  # when the oldest count still here was added
        self._timer: threading.Timer | None = None

    def add(self, keys: Iterable[str], *, interval: float, write_later: Callable[[], None]) -> bool:
        """Add one to each key; True when the batch is due to be written now. Else a
        timer calls `write_later` once the interval is over, so what a quiet moment
        leaves here is written anyway."""
        with self._lock:
            self._counts.update(keys)
            if self._since is None:
                self._since = monotonic()
            if monotonic() - self._since >= interval:
                return True
            if self._timer is None:
                self._timer = threading.Timer(interval, self._timer_fired, args=[write_later])
                self._timer.daemon = True
                self._timer.start()
            return False

    def _timer_fired(self, write_later: Callable[[], None]) -> None:
        with self._lock:
            self._timer = None
            pending = bool(self._counts)
        if pending:
            write_later()

    def take(self) -> dict[str, int]:
        with self._lock:
            counts, self._counts, self._since = self._counts, collections.Counter(), None
        return dict(counts)


batch = CountBatch()
os.register_at_fork(after_in_child=batch._forget)
