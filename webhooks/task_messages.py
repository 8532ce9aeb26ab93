"""Queueing a stored message's processing with one Redis LPUSH.

`task.delay()` goes through Celery's publisher and kombu's producer: routing,
retry wrappers, a pool checkout, queue declaration and two serializations cost
~0.35 ms of a ~2 ms webhook delivery, against ~0.05 ms for the LPUSH they end
in. For the task the intake queues on every delivery, outside any task, this
module writes the same message itself: the headers come from Celery
(`app.amqp.as_task_v2`), the publish signals are sent as Celery sends them (the
log context travels in them), and the envelope is what kombu's Redis transport
writes — `tests/webhooks/test_task_messages.py` compares it with what Celery
publishes and has a kombu consumer read it back.

Anything this does not reproduce goes through `enqueue` instead: eager mode
(no broker), a broker that is not Redis or has transport options, routes to a
non-direct exchange, sent events, a call from inside a task (Celery would make
it the child of that task). A Redis that fails is what it is for `enqueue`: the
row is stored, the sweep picks it up, the caller goes on.
"""
import base64
import json
import logging
import os
import uuid
from typing import Any

from celery import signals
from celery.app.task import Task
from redis import Redis
from redis.exceptions import RedisError

from .tasks import enqueue

logger = logging.getLogger(__name__)

REDIS_SCHEMES = ("redis://", "rediss://")
SOCKET_TIMEOUT_SECONDS = 2.0
_CALLBACKS = {"callbacks": None, "errbacks": None, "chain": None, "chord": None}

_clients: dict[tuple[int, str], Redis] = {}  # by pid: a connection does not survive gunicorn's fork
_routes: dict[tuple, str | None] = {}  # (task, routing configuration) → its queue, or None


def publish(task: Task, *args: Any) -> bool:
    """Queue `task(*args)`; False, logged, when the broker could not take it."""
    queue = _direct_queue(task)
    if queue is None or task.app.current_worker_task is not None:
        return enqueue(task, *args)
    try:
        _broker(task.app.conf.broker_url).lpush(queue, message_for(task, args, queue))
    except (RedisError, OSError) as exc:
        logger.warning("broker unavailable, %s%s left for the sweep: %s", task.name, args, exc)
        return False
    return True


def message_for(task: Task, args: tuple, queue: str) -> bytes:
    """The message kombu's Redis transport would LPUSH for `task.apply_async(args)`."""
    app = task.app
    task_id = str(uuid.uuid4())
    headers, properties, body, _sent_event = app.amqp.as_task_v2(
        task_id, task.name, args, {}, reply_to=app.thread_oid, ignore_result=task.ignore_result,
        time_limit=task.time_limit, soft_time_limit=task.soft_time_limit,
    )
    if signals.before_task_publish.receivers:
        signals.before_task_publish.send(
            sender=task.name, body=body, exchange="", routing_key=queue, declare=[],
            headers=headers, properties=properties, retry_policy=None,
        )
    properties.update(
        delivery_mode=2, delivery_info={"exchange": "", "routing_key": queue}, priority=0,
        body_encoding="base64", delivery_tag=str(uuid.uuid4()),
    )
    encoded = base64.b64encode(json.dumps(body).encode()).decode()
    message = {"body": encoded, "content-encoding": "utf-8", "content-type": "application/json",
               "headers": headers, "properties": properties}
    return json.dumps(message).encode()


def _direct_queue(task: Task) -> str | None:
    """The queue name when Celery would LPUSH to it directly; None otherwise. The
    configuration is read on every call (Celery reads Django's settings live and
    tests change them); only the router's answer is kept."""
    conf = task.app.conf
    if (conf.task_always_eager or not str(conf.broker_url or "").startswith(REDIS_SCHEMES)
            or conf.broker_transport_options or conf.task_send_sent_event or conf.task_serializer != "json"
            or conf.task_compression or conf.task_protocol != 2 or signals.after_task_publish.receivers
            or task.expires is not None or task.priority is not None):
        return None
    key = (task.name, repr(conf.task_routes), conf.task_default_queue, conf.task_default_exchange_type)
    if key not in _routes:
        _routes[key] = _routed_queue(task)
    return _routes[key]


def _routed_queue(task: Task) -> str | None:
    route = task.app.amqp.router.route({}, task.name, (), {})
    queue = route.get("queue")
    if queue is None or route.get("exchange") or route.get("priority") is not None:
        return None
    if queue.exchange is not None and queue.exchange.type != "direct":
        return None
    if queue.max_priority or (queue.exchange is not None and queue.exchange.delivery_mode not in (None, 2)):
        return None
    return queue.name


def _broker(url: str) -> Redis:
    key = (os.getpid(), url)
    client = _clients.get(key)
    if client is None:
        _clients.clear()
        client = _clients[key] = Redis.from_url(
            url, socket_timeout=SOCKET_TIMEOUT_SECONDS, socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
        )
    return client
