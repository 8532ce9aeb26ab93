"""`reservations.tasks.warm_caches`: every 30 minutes from beat and once when a worker starts."""
import json

import pytest
import redis
from celery.signals import worker_ready
from django.core.cache import cache
from django_celery_beat.models import PeriodicTask
from prometheus_client import REGISTRY

from reservations.tasks import WARMING_LOCK, warm_caches

from .helpers import CacheReads, search

pytestmark = pytest.mark.django_db


def warm_runs() -> int:
    return int(REGISTRY.get_sample_value("hotelagent_cache_warm_seconds_count") or 0)


def test_beat_warms_every_thirty_minutes():
    task = PeriodicTask.objects.get(task="reservations.tasks.warm_caches")

    assert (task.enabled, task.interval.every, task.interval.period) == (True, 30 * 60, "seconds")


def test_the_task_warms_every_active_hotel_and_says_how_it_went(api, tenant, standard):
    runs = warm_runs()

    outcome = warm_caches()

    assert outcome["hotels"] >= 1 and outcome["failed"] == {}
    assert warm_runs() == runs + 1
    reads = CacheReads()
    search(api, tenant)
    assert reads("availability", "hit") == 1


def test_a_run_already_under_way_makes_another_a_no_op(api, tenant, standard):
    cache.add(WARMING_LOCK, 1, 60)

    assert warm_caches() == {"skipped": True}
    reads = CacheReads()
    search(api, tenant)
    assert reads("availability", "miss") == 1


def test_a_starting_worker_in_eager_mode_warms_nothing(api, tenant, standard, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    worker_ready.send(sender=None)

    reads = CacheReads()
    search(api, tenant)
    assert reads("availability", "miss") == 1


def test_a_starting_worker_queues_one_warming_and_does_not_run_it(api, tenant, standard, settings):
    if not settings.REDIS_URL:
        pytest.skip("needs the Redis broker")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("celery")

    worker_ready.send(sender=None)

    [message] = broker.lrange("celery", 0, -1)
    assert json.loads(message)["headers"]["task"] == "reservations.tasks.warm_caches"
    reads = CacheReads()
    search(api, tenant)
    assert reads("availability", "miss") == 1
    broker.delete("celery")
