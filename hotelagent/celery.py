"""The Celery application; configuration comes from Django settings (CELERY_* names).

Publishing reuses what it can. Celery's producer pool (`broker_pool_limit`, 10)
lends each publish a kombu connection whose channel keeps its own redis-py
connection pool, so a delivery's `task.delay()` opens no TCP connection once the
process has connected. kombu's Redis channel, though, wraps that pool in a new
`redis.Redis` for every command it sends outside the event loop
(`conn_or_acquire`: each publish's LPUSH), and building one (its command
tables) was a fifth of a publish. `_Channel` keeps one client per channel pool;
the redis:// and rediss:// schemes name `RedisTransport`, which uses it.

A client holds no connection of its own, only its pool (redis-py's clients are
thread-safe: the pool lends a connection per command), so sharing it changes
nothing else: after a fork the pool sees the new pid and the child connects
afresh, after a broker restart the pool replaces the broken connection, and
once the channel drops its pool (closing, or the pools reset as
tests/chaos/conftest.py does) the next command builds a client around the new one.
tests/webhooks/test_publish_reuses_connection.py holds it to that.
"""
import os
from contextlib import contextmanager

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES, _transport_cache
from kombu.transport import redis as kombu_redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotelagent.settings")


class _Channel(kombu_redis.Channel):
    _sync_client = None  # the client around `self.pool`, built on first use

    @contextmanager
    def conn_or_acquire(self, client=None):
        if client:
            yield client
            return
        pool = self.pool
        cached = self._sync_client
        if cached is None or cached.connection_pool is not pool:
            cached = self._sync_client = self._create_client()
        yield cached


class RedisTransport(kombu_redis.Transport):
    """kombu's Redis transport, with `_Channel`."""

    Channel = _Channel


def _use_redis_transport() -> None:
    """Make the redis:// and rediss:// schemes name `RedisTransport`. kombu finds a
    transport by the URL's scheme each time it builds a connection (Celery's
    pools clone theirs from the URL), so the scheme is where to say it; the URL,
    and so `as_uri()` in logs and the worker's banner, stays as configured."""
    for scheme in ("redis", "rediss"):
        TRANSPORT_ALIASES[scheme] = f"{__name__}:RedisTransport"
        _transport_cache.pop(scheme, None)


_use_redis_transport()
app = Celery("hotelagent")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
from . import logging_config, telemetry  # noqa: E402, F401 - their signals: tracing after fork, task ids in logs
from .metrics import tasks as _task_metrics  # noqa: E402, F401 - task durations (its signals)
from .metrics import worker as _metrics_worker  # noqa: E402, F401 - its /metrics (CELERY_METRICS_PORT)
