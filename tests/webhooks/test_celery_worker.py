"""Webhook → Celery worker (a real one, consuming from Redis) → reply sent."""
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django_scopes import scopes_disabled

from hotelagent.celery import app as celery_app
from webhooks.models import InboundMessage, OutboundMessage

from . import payloads

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_worker(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: the point is a real broker and a real worker")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def wait_for(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_webhook_delivery_is_processed_by_a_real_worker(meta, hotel_sol, graph_api, redis_worker):
    delivery = payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
        payloads.text("wamid.worker", "Hola"),
    ]))

    response = payloads.post(meta, delivery)

    assert response.status_code == 200

    def replied():
        with scopes_disabled():
            return OutboundMessage.objects.filter(status="sent").exists()

    assert wait_for(replied), "the worker did not send a reply in time"
    with scopes_disabled():
        assert InboundMessage.objects.get().status == "processed"
    assert len(graph_api.requests) == 1
