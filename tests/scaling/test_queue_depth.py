"""Queue depth is what waits in the Celery broker's queues."""
import pytest
import redis
from django.conf import settings as django_settings

from hotelagent.scaling.inputs import PRIORITY_SEPARATOR, queue_depth

on_redis = pytest.mark.skipif(not django_settings.CELERY_BROKER_URL.startswith("redis"),
                              reason="needs a Redis broker (REDIS_URL)")


def test_nothing_waits_when_tasks_run_eagerly(settings):
    settings.CELERY_BROKER_URL = "memory://"

    assert queue_depth() == 0


@on_redis
def test_every_queue_and_its_priority_lists_count(settings):
    settings.SCALING_QUEUES = ["tests-scaling-a", "tests-scaling-b"]
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    lists = ["tests-scaling-a", f"tests-scaling-a{PRIORITY_SEPARATOR}6", "tests-scaling-b"]
    try:
        broker.rpush(lists[0], "task", "task", "task")
        broker.rpush(lists[1], "task")
        broker.rpush(lists[2], "task")

        assert queue_depth() == 5
    finally:
        broker.delete(*lists)
        broker.close()


def test_a_broker_other_than_redis_is_unknown(settings):
    settings.CELERY_BROKER_URL = "amqp://guest@127.0.0.1:9//"

    assert queue_depth() is None


def test_a_broker_that_is_down_is_unknown(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"

    assert queue_depth() is None


@pytest.mark.django_db
def test_an_unknown_queue_depth_blocks_a_scale_down(evaluate, settings):
    settings.SCALING_CURRENT_INSTANCES = 3
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"

    decision = evaluate(queue_depth=None)

    assert (decision.action, decision.reasons) == ("hold", ["queue depth unknown"])
