"""Counters shared by every process (Redis in production, the configured cache
otherwise). `cache.add` + `cache.incr` is atomic on Redis, so two workers never
both see the same count. Used for guests (messages per minute) and for
addresses that keep failing authentication (API keys, webhook signatures,
the metrics token).

Keys name guests by the id their channel gives (a web-chat sender is any 128
characters), so they are stored hashed: every cache backend takes them, memcached's
250 printable ASCII bytes included."""
import datetime
import hashlib

from django.core.cache import cache

WINDOW_SECONDS = 60
BURST_MEMORY_SECONDS = 300


def count_in_window(key: str, at: datetime.datetime) -> int:
    """Increment and return the counter of `key` for the minute containing `at`."""
    window_key = _window_key(key, at)
    cache.add(window_key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        return cache.incr(window_key)
    except ValueError:  # expired between add and incr
        cache.add(window_key, 1, timeout=WINDOW_SECONDS * 2)
        return 1


def count_so_far(key: str, at: datetime.datetime) -> int:
    """The counter of `key` for the minute containing `at`, without counting."""
    return int(cache.get(_window_key(key, at)) or 0)


def seconds_left_in_window(at: datetime.datetime) -> int:
    """Until the counters of the window containing `at` stop counting: a Retry-After."""
    return WINDOW_SECONDS - int(at.timestamp()) % WINDOW_SECONDS


def first_of_burst(key: str) -> bool:
    """True once per burst, so a flood writes one audit event, not thousands."""
    return cache.add(f"throttle-burst:{_digest(key)}", 1, timeout=BURST_MEMORY_SECONDS)


def _window_key(key: str, at: datetime.datetime) -> str:
    return f"throttle:{_digest(key)}:{int(at.timestamp()) // WINDOW_SECONDS}"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
