"""/health/ready reports a beat that stopped sending and a Celery queue backlog as
degraded, and stays ready: another pod would not bring beat back or drain the queue."""
import datetime
import os

import pytest
import redis
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from hotelagent import celery_health

pytestmark = pytest.mark.django_db

MINUTE_TASKS = ("sweep-stale-inbound-messages", "sweep-unsent-replies", "retry-pending-bookings",
                "evaluate-scaling")
#: Run more often than warm-caches (30 min) too: media and waiting questions every 5 min, guest
#: messages every 15.
SHORTER_THAN_WARMING = ("sweep-pending-media", "hand-over-waiting-questions", "send-guest-messages")


@pytest.fixture
def with_beat(settings, monkeypatch):
    """A deployment with a broker, hence a beat; the queues are empty."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/11"
    monkeypatch.setattr(celery_health, "queue_depth", lambda: 0)
    return settings


def beat_sent_everything(ago: datetime.timedelta) -> datetime.datetime:
    sent_at = timezone.now() - ago
    PeriodicTask.objects.update(last_run_at=sent_at)
    return sent_at


def ready(client) -> dict:
    response = client.get("/health/ready")
    assert response.status_code == 200
    return response.json()


def test_the_default_schedule_is_what_beat_sends(with_beat):
    assert set(MINUTE_TASKS) <= set(PeriodicTask.objects.filter(enabled=True).values_list("name", flat=True))


def test_a_beat_sending_on_time_is_ok(client, with_beat):
    beat_sent_everything(datetime.timedelta(seconds=50))

    assert ready(client)["status"] == "ok"


def test_a_beat_within_its_write_delay_is_still_ok(client, with_beat):
    beat_sent_everything(datetime.timedelta(minutes=5, seconds=50))  # 3 periods + 3 min: 6 min

    assert ready(client)["status"] == "ok"


def test_a_beat_silent_for_three_periods_and_its_write_delay_is_degraded_but_ready(client, with_beat):
    sent_at = beat_sent_everything(datetime.timedelta(minutes=6, seconds=10))

    assert ready(client) == {
        "status": "degraded",
        "checks": {"database": True, "cache": True},
        "degraded": {"celery": {"beat": "stale", "beat_last_sent_at": sent_at.isoformat()}},
    }


def test_the_shortest_enabled_period_is_the_heartbeat(client, with_beat):
    beat_sent_everything(datetime.timedelta(minutes=20))
    PeriodicTask.objects.filter(name__in=[*MINUTE_TASKS, *SHORTER_THAN_WARMING]).update(enabled=False)
    # warm-caches, every 30 min, is the heartbeat now: sent 20 minutes ago is on time

    assert ready(client)["status"] == "ok"


def test_a_heartbeat_not_sent_since_it_was_enabled_counts_from_then(client, with_beat):
    beat_sent_everything(datetime.timedelta(minutes=1))
    PeriodicTask.objects.filter(name__in=MINUTE_TASKS).update(
        last_run_at=None, date_changed=timezone.now() - datetime.timedelta(minutes=10),
    )

    assert ready(client)["degraded"] == {"celery": {"beat": "stale", "beat_last_sent_at": None}}


def test_a_database_beat_never_sent_from_says_nothing_about_beat(client, with_beat):
    PeriodicTask.objects.update(last_run_at=None, date_changed=timezone.now() - datetime.timedelta(days=3))

    assert ready(client)["status"] == "ok"


def test_without_a_broker_no_beat_is_expected(client, settings):
    settings.CELERY_BROKER_URL = "memory://"
    beat_sent_everything(datetime.timedelta(days=1))

    assert ready(client)["status"] == "ok"


def test_a_queue_backlog_over_the_threshold_is_degraded_but_ready(client, with_beat, monkeypatch):
    with_beat.HEALTH_QUEUE_BACKLOG_THRESHOLD = 1000
    monkeypatch.setattr(celery_health, "queue_depth", lambda: 1234)

    assert ready(client)["degraded"] == {"celery": {"queue_backlog": 1234}}


def test_a_queue_at_the_threshold_is_ok(client, with_beat, monkeypatch):
    with_beat.HEALTH_QUEUE_BACKLOG_THRESHOLD = 1000
    monkeypatch.setattr(celery_health, "queue_depth", lambda: 1000)

    assert ready(client)["status"] == "ok"


def test_an_unreadable_celery_state_never_fails_readiness(client, with_beat, monkeypatch):
    def broken():
        raise ConnectionError("down")

    monkeypatch.setattr(celery_health, "beat_heartbeat", broken)

    assert ready(client)["status"] == "ok"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="reads LLEN from a real Redis broker")
def test_the_backlog_is_what_waits_on_the_broker(client, settings):
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    settings.SCALING_QUEUES = ["readiness-test"]
    settings.HEALTH_QUEUE_BACKLOG_THRESHOLD = 2
    broker = redis.Redis.from_url(settings.REDIS_URL)
    broker.rpush("readiness-test", "a", "b", "c")
    try:
        assert ready(client)["degraded"] == {"celery": {"queue_backlog": 3}}
    finally:
        broker.delete("readiness-test")
        broker.close()
