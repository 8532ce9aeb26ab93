"""hotelagent_desired_instances: what an external autoscaler (KEDA, an HPA) reads
from any web process's /metrics, whichever process decided."""
import pytest
from django.core.cache import cache
from prometheus_client import REGISTRY

from hotelagent.scaling import metrics

from .conftest import SPIKE

pytestmark = pytest.mark.django_db


def desired():
    return REGISTRY.get_sample_value("hotelagent_desired_instances")


def test_absent_before_any_decision():
    assert desired() is None


def test_the_target_of_the_last_decision(evaluate, clock):
    evaluate(**SPIKE)
    assert desired() == 2

    clock.advance(300)
    evaluate()
    assert desired() == 1


def test_another_process_reads_it_from_the_cache(evaluate, monkeypatch):
    evaluate(**SPIKE)
    monkeypatch.setattr(metrics, "_published", {"value": None, "until": 0.0})  # a web process

    assert desired() == 2


def test_it_disappears_when_evaluations_stop():
    metrics.publish(3)
    cache.delete(metrics.CACHE_KEY)  # its ten minutes are over
    metrics._published["until"] = 0.0

    assert desired() is None


def test_a_cache_that_is_down_shows_what_this_process_published(monkeypatch):
    metrics.publish(4)

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)

    assert desired() == 4


def test_scraped_at_metrics(evaluate, client):
    evaluate(**SPIKE)

    response = client.get("/metrics")

    assert response.status_code == 200
    assert "hotelagent_desired_instances 2.0" in response.content.decode()
