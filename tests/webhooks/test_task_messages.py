"""The processing task queued with one LPUSH (webhooks/task_messages.py) is the
message Celery would have published: compared with Celery's own on the real
broker, read back by a kombu consumer, run by a real worker; and where the LPUSH
cannot reproduce Celery, Celery publishes."""
import json
import logging
import time

import pytest
import redis
from celery import shared_task
from celery.contrib.testing.worker import start_worker
from django_scopes import scopes_disabled

from hotelagent.celery import app as celery_app
from security import log_context
from webhooks import task_messages
from webhooks.models import InboundMessage, OutboundMessage
from webhooks.task_messages import publish
from webhooks.tasks import enqueue, process_inbound_message

from .front import one_text, signed_call

QUEUE = "celery"
ran: list[int] = []


@shared_task(name="tests.webhooks.remember")
def remember(value: int) -> int:
    ran.append(value)
    return value


@pytest.fixture
def broker(settings):
    """The REDIS_URL broker, Celery publishing for real; the queue emptied before
    and after (no worker here takes what is left)."""
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: the point is the real broker's messages")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete(QUEUE)
    yield client
    client.delete(QUEUE)


@pytest.fixture
def written(monkeypatch):
    """How many messages this module wrote itself (the others went through Celery)."""
    calls: list[str] = []
    real = task_messages.message_for

    def counting(task, args, queue):
        calls.append(task.name)
        return real(task, args, queue)

    monkeypatch.setattr(task_messages, "message_for", counting)
    return calls


def queued(client) -> list[dict]:
    """The queue's messages, oldest first, as a worker would take them."""
    return [json.loads(raw) for raw in reversed(client.lrange(QUEUE, 0, -1))]


def without_ids(message: dict) -> dict:
    message = json.loads(json.dumps(message))
    message["headers"].update(id="", root_id="")
    message["properties"].update(correlation_id="", delivery_tag="")
    return message


def test_the_message_is_the_one_celery_publishes(broker, written):
    log_context.bind_request("req-celery-same")
    try:
        assert enqueue(process_inbound_message, 41)
        assert publish(process_inbound_message, 41)
    finally:
        log_context.clear()

    celerys, ours = queued(broker)
    assert written == [process_inbound_message.name]  # the second one only
    assert without_ids(ours) == without_ids(celerys)
    assert ours["headers"]["hotelagent_log_context"] == {"request_id": "req-celery-same"}
    assert ours["headers"]["id"] == ours["headers"]["root_id"] == ours["properties"]["correlation_id"]
    assert ours["headers"]["id"] != celerys["headers"]["id"]
    assert ours["properties"]["delivery_tag"] != celerys["properties"]["delivery_tag"]


def test_a_kombu_consumer_reads_it_back(broker, written):
    assert publish(process_inbound_message, 42)

    with celery_app.connection_for_read() as connection, connection.SimpleQueue(QUEUE) as queue:
        message = queue.get(timeout=2)
        message.ack()

    assert written == [process_inbound_message.name]
    assert message.headers["task"] == "webhooks.tasks.process_inbound_message"
    args, kwargs, _embed = message.decode()
    assert (args, kwargs) == ([42], {})
    assert message.properties["correlation_id"] == message.headers["id"]


def test_with_transport_options_celery_publishes(broker, written, settings):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"client_name": "task-messages-test"}

    assert publish(process_inbound_message, 43)

    assert written == []
    [message] = queued(broker)
    assert message["headers"]["argsrepr"] == "(43,)"


def test_eagerly_the_task_runs_in_the_caller(settings, written):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ran.clear()

    assert publish(remember, 7)

    assert ran == [7] and written == []


def test_a_broker_that_is_down_is_reported_not_raised(settings, caplog):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port

    with caplog.at_level(logging.WARNING, logger="webhooks.task_messages"):
        assert publish(process_inbound_message, 44) is False

    assert "left for the sweep" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_delivery_taken_by_the_front_is_answered_by_a_real_worker(
        broker, written, hotel_sol, graph_api, transactional_db):
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert signed_call(one_text("wamid.front.worker", "Hola")).status_code == 200

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not _replied():
            time.sleep(0.1)

    assert written == [process_inbound_message.name]
    assert _replied(), "the worker did not send a reply in time"
    with scopes_disabled():
        assert InboundMessage.objects.get().status == "processed"
    assert len(graph_api.requests) == 1


def _replied() -> bool:
    with scopes_disabled():
        return OutboundMessage.objects.filter(status="sent").exists()
