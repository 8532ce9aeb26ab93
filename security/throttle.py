"""Counters shared by every process (Redis in production, the configured cache
otherwise). A count is `cache.add` + `cache.incr`, on Redis sent together in one
round trip; INCR is atomic, so two workers never both see the same count. Used
for guests (messages per minute) and for addresses that keep failing
authentication (API keys, webhook signatures, the metrics token).

Keys name guests by the id their channel gives (a web-chat sender is any 128
characters), so they are stored hashed: every cache backend takes them, memcached's
250 printable ASCII bytes included.

While the cache cannot be reached nothing can be counted, and every counter reads
0: requests go through unthrottled (and each refusal is audited, none being
"already seen") rather than every guest message, API request and refusal failing
with the cache. A warning says so each time."""
import datetime
import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
BURST_MEMORY_SECONDS = 300


def count_in_window(key: str, at: datetime.datetime) -> int:
    """Increment and return the counter of `key` for the minute containing `at`."""
    counter = window_key(key, at)
    try:
        redis = _redis_client()
        if redis is not None:
            return _add_and_incr(redis, cache.client.make_key(counter))
        cache.add(counter, 0, timeout=WINDOW_SECONDS * 2)
        try:
            return cache.incr(counter)
        except ValueError:  # expired between add and incr
            cache.add(counter, 1, timeout=WINDOW_SECONDS * 2)
            return 1
    except Exception:
        return _unavailable("not counted")


def _redis_client():
    """django-redis's client, or None for any other cache backend."""
    client = getattr(cache, "client", None)
    return client.get_client(write=True) if hasattr(client, "get_client") else None


def _add_and_incr(redis, name: str) -> int:
    """cache.add then cache.incr in one round trip: Redis runs a pipeline's
    commands in order, and INCR is atomic. The counter is a plain integer, as
    django-redis stores ints, so cache.get reads it."""
    pipe = redis.pipeline(transaction=False)
    pipe.set(name, 0, nx=True, ex=WINDOW_SECONDS * 2)
    pipe.incr(name)
    return int(pipe.execute()[1])


def count_so_far(key: str, at: datetime.datetime) -> int:
    """The counter of `key` for the minute containing `at`, without counting."""
    try:
        return int(cache.get(window_key(key, at)) or 0)
    except Exception:
        return _unavailable("not read")


def count_in(values: dict | None, counter: str) -> int:
    """count_so_far from cache values a caller fetched with the `counter` key
    (window_key) among its own (None: the cache did not answer, and it reads 0)."""
    return int((values or {}).get(counter) or 0)


def seconds_left_in_window(at: datetime.datetime) -> int:
    """Until the counters of the window containing `at` stop counting: a Retry-After."""
    return WINDOW_SECONDS - int(at.timestamp()) % WINDOW_SECONDS


def first_of_burst(key: str) -> bool:
    """True once per burst, so a flood writes one audit event, not thousands."""
    try:
        return cache.add(f"throttle-burst:{_digest(key)}", 1, timeout=BURST_MEMORY_SECONDS)
    except Exception:
        _unavailable("not remembered")
        return True


def _unavailable(what: str) -> int:
    logger.warning("throttle counter %s: the cache is unavailable", what, exc_info=True)
    return 0


def window_key(key: str, at: datetime.datetime) -> str:
    """The cache key holding `key`'s counter for the minute containing `at`."""
    return f"throttle:{_digest(key)}:{int(at.timestamp()) // WINDOW_SECONDS}"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
