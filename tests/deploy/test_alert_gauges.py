"""The gauges the alerts read that no process sets (hotelagent/celery_health.py):
computed when Prometheus scrapes, and telling the same as /health/ready."""
import datetime

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from prometheus_client.parser import text_string_to_metric_families

from hotelagent import celery_health
from security.api_keys import api_key_create
from security.models import ApiKey, ManagedSecret
from security.secret_store import secret_create
from tests.factories import TenantFactory

from .conftest import scrape

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def scraping_from_loopback(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    settings.PROMETHEUS_MULTIPROC_DIR = ""


@pytest.fixture
def with_beat(settings, monkeypatch):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/11"
    monkeypatch.setattr(celery_health, "queue_depth", lambda: 7)


def samples(client, name: str) -> dict[tuple, float]:
    return {
        tuple(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(scrape(client)) for sample in family.samples
        if sample.name == name
    }


def overdue(**kwargs) -> dict[str, float]:
    return {labels[0]: seconds for labels, seconds in celery_health.secrets_overdue(**kwargs)}


def test_a_stale_beat_is_one_and_its_age_is_served(client, with_beat):
    PeriodicTask.objects.update(last_run_at=timezone.now() - datetime.timedelta(minutes=10))

    assert samples(client, "hotelagent_beat_stale") == {(): 1}
    assert 600 <= samples(client, "hotelagent_beat_heartbeat_age_seconds")[()] < 660
    assert client.get("/health/ready").json()["degraded"]["celery"]["beat"] == "stale"


def test_a_beat_on_time_is_zero(client, with_beat):
    PeriodicTask.objects.update(last_run_at=timezone.now())

    assert samples(client, "hotelagent_beat_stale") == {(): 0}


def test_before_beat_ever_ran_the_beat_gauges_are_absent(client, with_beat):
    assert samples(client, "hotelagent_beat_stale") == {}
    assert samples(client, "hotelagent_beat_heartbeat_age_seconds") == {}


def test_the_queue_depth_and_its_readiness_threshold_are_served(client, with_beat, settings):
    settings.HEALTH_QUEUE_BACKLOG_THRESHOLD = 5

    assert samples(client, "hotelagent_celery_queue_depth") == {(): 7}
    assert samples(client, "hotelagent_celery_queue_backlog_threshold") == {(): 5}
    assert client.get("/health/ready").json()["degraded"] == {"celery": {"queue_backlog": 7}}


def test_secrets_rotated_on_time_are_not_overdue(tenant):
    secret_create("webhook_secret", tenant)
    api_key_create(tenant=tenant, name="partner")

    assert overdue() == {"api_key": 0, "jwt_secret": 0, "webhook_secret": 0}


def test_a_secret_past_its_period_is_overdue_by_the_difference(tenant, other_tenant):
    now = timezone.now()
    for hotel, age in ((tenant, 63 * DAY), (other_tenant, 61 * DAY)):
        secret_create("webhook_secret", hotel)
        ManagedSecret.objects.with_scopes_disabled().filter(tenant=hotel).update(activated_at=now - age)

    assert overdue(now=now)["webhook_secret"] == pytest.approx(3 * DAY.total_seconds())  # the most overdue


def test_an_api_key_never_rotated_counts_from_its_creation(tenant):
    now = timezone.now()
    key, _ = api_key_create(tenant=tenant, name="partner")
    ApiKey.objects.with_scopes_disabled().filter(pk=key.pk).update(created_at=now - 32 * DAY)

    assert overdue(now=now)["api_key"] == pytest.approx(2 * DAY.total_seconds())


def test_an_inactive_hotel_is_not_counted():
    closed = TenantFactory(slug="closed-hotel", is_active=False)
    secret_create("jwt_secret", closed)
    ManagedSecret.objects.with_scopes_disabled().update(activated_at=timezone.now() - 400 * DAY)

    assert overdue()["jwt_secret"] == 0


def test_the_overdue_seconds_are_served_per_secret(client, tenant):
    secret_create("jwt_secret", tenant)
    ManagedSecret.objects.with_scopes_disabled().update(activated_at=timezone.now() - 91 * DAY)

    served = samples(client, "hotelagent_secret_rotation_overdue_seconds")

    assert set(served) == {(("type", name),) for name in ("api_key", "jwt_secret", "webhook_secret")}
    assert served[(("type", "jwt_secret"),)] == pytest.approx(DAY.total_seconds(), rel=0.01)
