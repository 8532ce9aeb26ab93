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
from celery.local import Proxy
from celery.utils.saferepr import saferepr
from django.core.signals import setting_changed
from django.dispatch import receiver
from redis import Redis
from redis.exceptions import RedisError

from .tasks import enqueue

logger = logging.getLogger(__name__)

REDIS_SCHEMES = ("redis://", "rediss://")
SOCKET_TIMEOUT_SECONDS = 2.0
_CALLBACKS = {"callbacks": None, "errbacks": None, "chain": None, "chord": None}

_clients: dict[tuple[int, str], Redis] = {}  # by pid: a connection does not survive gunicorn's fork
# task name → (its queue, the broker's URL), or None: published through Celery
_routes: dict[str, tuple[str, str] | None] = {}
# (pid, task name) → the headers and properties Celery gives it; the origin header names the process
_templates: dict[tuple[int, str], tuple[dict, dict]] = {}


def publish(task: Task, *args: Any) -> bool:
    """Queue `task(*args)`; False, logged, when the broker could not take it."""
    if isinstance(task, Proxy):  # a shared_task: each attribute read would look the task up again
        task = task._get_current_object()
    route = _direct_route(task)
    if route is None or signals.after_task_publish.receivers or task.app.current_worker_task is not None:
        return enqueue(task, *args)
    queue, broker_url = route
    try:
        _broker(broker_url).lpush(queue, message_for(task, args, queue))
    except (RedisError, OSError) as exc:
        logger.warning("broker unavailable, %s%s left for the sweep: %s", task.name, args, exc)
        return False
    return True


def message_for(task: Task, args: tuple, queue: str) -> bytes:
    """The message kombu's Redis transport would LPUSH for `task.apply_async(args)`:
    Celery's headers for the task (`as_task_v2`, asked once), this message's ids
    and arguments, and what before_task_publish's receivers add."""
    template_headers, template_properties = _template(task)
    task_id = str(uuid.uuid4())
    headers = {**template_headers, "id": task_id, "root_id": task_id, "argsrepr": _argsrepr(task, args)}
    properties = {**template_properties, "correlation_id": task_id, "reply_to": task.app.thread_oid}
    body = (args, {}, _CALLBACKS)
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


def _template(task: Task) -> tuple[dict, dict]:
    key = (os.getpid(), task.name)
    if key not in _templates:
        headers, properties, _body, _sent_event = task.app.amqp.as_task_v2(
            "", task.name, (), {}, ignore_result=task.ignore_result,
            time_limit=task.time_limit, soft_time_limit=task.soft_time_limit,
        )
        _templates[key] = headers, properties
    return _templates[key]


def _argsrepr(task: Task, args: tuple) -> str:
    """As Celery writes it: saferepr, which for a few integers is repr."""
    if len(args) <= 4 and all(type(arg) is int for arg in args):
        return repr(args)
    return saferepr(args, task.app.amqp.argsrepr_maxsize)


def _direct_route(task: Task) -> tuple[str, str] | None:
    """The queue and broker URL when Celery would LPUSH to that queue directly; None
    otherwise. Decided once per task: Celery's configuration is a chain of lookups
    into Django's settings, too slow to read per message; a changed CELERY_ setting
    (tests) forgets it."""
    if task.name not in _routes:
        queue = _queue_of(task)
        _routes[task.name] = None if queue is None else (queue, task.app.conf.broker_url)
    return _routes[task.name]


def _queue_of(task: Task) -> str | None:
    conf = task.app.conf
    if (conf.task_always_eager or not str(conf.broker_url or "").startswith(REDIS_SCHEMES)
            or conf.broker_transport_options or conf.task_send_sent_event or conf.task_serializer != "json"
            or conf.task_compression or conf.task_protocol != 2 or task.expires is not None
            or task.priority is not None):
        return None
    route = task.app.amqp.router.route({}, task.name, (), {})
    queue = route.get("queue")
    if queue is None or route.get("exchange") or route.get("priority") is not None:
        return None
    if queue.exchange is not None and queue.exchange.type != "direct":
        return None
    if queue.max_priority or (queue.exchange is not None and queue.exchange.delivery_mode not in (None, 2)):
        return None
    return queue.name


@receiver(setting_changed)
def _celery_setting_changed(setting: str, **kwargs: Any) -> None:
    if setting.startswith("CELERY_"):
        _routes.clear()
        _templates.clear()


def _broker(url: str) -> Redis:
    key = (os.getpid(), url)
    client = _clients.get(key)
    if client is None:
        _clients.clear()
        client = _clients[key] = Redis.from_url(
            url, socket_timeout=SOCKET_TIMEOUT_SECONDS, socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
        )
    return client
