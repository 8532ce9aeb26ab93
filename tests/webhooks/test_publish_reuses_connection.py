"""Queueing a stored delivery's task reuses the broker connection and its Redis
client (hotelagent/celery.py): publishing opens no connection per task, in the
process that connected first, after a fork, and after the pools are reset (the
chaos tests' reset_celery_connections, as after a broker restart). On the
REDIS_URL broker for real; skipped without it."""
import json
import os
import socket
import uuid

import kombu.pools
import pytest
import redis
from celery import signals

from hotelagent.celery import RedisTransport
from hotelagent.celery import app as celery_app
from webhooks.tasks import enqueue, process_inbound_message

PUBLISHES = 50


@pytest.fixture
def broker(settings, monkeypatch):
    """The real broker, its connections named for this test (CLIENT LIST shows them),
    Celery's pools empty at the start and the end; the tasks published are
    removed from the queue afterwards (no worker here: nobody would take them)."""
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: the point is a real broker")
    name = f"publish-reuse-{uuid.uuid4().hex[:12]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"client_name": name}
    reset_pools()
    published: list[str] = []

    def remember(headers=None, **kwargs):
        published.append(headers["id"])

    signals.after_task_publish.connect(remember, weak=False)
    admin = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    admin.ping()  # connected before counting starts: only publishing is counted
    counter = _ConnectCounter(admin.connection_pool.connection_kwargs.get("port", 6379))
    monkeypatch.setattr(socket.socket, "connect", counter.connect)
    broker = _Broker(name, admin, counter, published)
    try:
        yield broker
    finally:
        signals.after_task_publish.disconnect(remember)
        monkeypatch.undo()
        reset_pools()
        broker.remove_published()
        admin.close()


def reset_pools() -> None:
    """What tests/chaos/conftest.py's reset_celery_connections does."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class _ConnectCounter:
    """TCP connections this process opens to the broker's port."""

    def __init__(self, port: int):
        self.port, self.count = port, 0
        original = socket.socket.connect

        def connect(sock, address):
            if isinstance(address, tuple) and len(address) >= 2 and address[1] == self.port:
                self.count += 1
            return original(sock, address)

        self.connect = connect  # for socket.socket: a plain function, so the socket is its first argument


class _Broker:
    def __init__(self, name, admin, counter, published):
        self.name, self.admin, self.counter, self.published = name, admin, counter, published

    def connection_ids(self) -> set[int]:
        """The broker's open connections that are this test's publishing ones."""
        return {int(client["id"]) for client in self.admin.client_list() if client.get("name") == self.name}

    def queued(self) -> set[str]:
        return {_task_id(raw) for raw in self.admin.lrange(celery_app.conf.task_default_queue, 0, -1)}

    def remove_published(self) -> None:
        queue, ours = celery_app.conf.task_default_queue, set(self.published)
        for raw in self.admin.lrange(queue, 0, -1):
            if _task_id(raw) in ours:
                self.admin.lrem(queue, 1, raw)


def _task_id(raw: bytes) -> str:
    try:
        return json.loads(raw)["headers"]["id"]
    except (ValueError, KeyError, TypeError):
        return ""


def _count_clients(monkeypatch) -> list[int]:
    built = [0]
    init = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        built[0] += 1
        init(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    return built


def test_the_broker_transport_is_the_one_that_reuses_its_client(broker):
    with celery_app.connection_for_write() as connection:
        assert isinstance(connection.transport, RedisTransport)
        assert connection.as_uri().startswith("redis")  # logs and the worker's banner keep the URL


def test_publishing_many_tasks_opens_one_connection_and_builds_no_client_per_task(broker, monkeypatch):
    assert enqueue(process_inbound_message, 0)  # the first publish of the process connects
    seen = broker.connection_ids()
    connects, built = broker.counter.count, _count_clients(monkeypatch)

    for n in range(1, PUBLISHES + 1):
        assert enqueue(process_inbound_message, n)
        seen |= broker.connection_ids()

    assert broker.counter.count - connects == 0
    assert 1 <= len(seen) <= 2, seen
    assert built[0] == 0  # kombu alone wraps the pool in a new redis.Redis for every publish
    assert set(broker.published) <= broker.queued()
    assert len(broker.published) == PUBLISHES + 1


def test_publishing_after_the_pools_are_reset_connects_again_once(broker):
    assert enqueue(process_inbound_message, 0)
    before = broker.connection_ids()
    reset_pools()  # what the chaos tests do around a broker restart: the next publish connects afresh

    connects = broker.counter.count
    for n in range(PUBLISHES):
        assert enqueue(process_inbound_message, n)

    assert 1 <= broker.counter.count - connects <= 2
    assert set(broker.published) <= broker.queued()
    assert broker.connection_ids() - before  # a new connection, not the forgotten one


def test_a_forked_process_publishes_on_its_own_connection(broker):
    """A gunicorn or prefork child inherits the parent's pools: its publishes must
    neither share the parent's socket nor open one per task."""
    assert enqueue(process_inbound_message, 0)
    parent_connections = broker.connection_ids()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: publish, report, leave without running the parent's cleanup
        status = 1
        try:
            os.close(read)
            connects = broker.counter.count
            ok = all(enqueue(process_inbound_message, n) for n in range(PUBLISHES))
            os.write(write, json.dumps({"ok": ok, "connects": broker.counter.count - connects,
                                        "published": broker.published[1:]}).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read) as pipe:
        report = json.loads(pipe.read() or "{}")
    _, status = os.waitpid(pid, 0)

    children = report.pop("published", [])
    broker.published += children  # removed with the parent's at the end

    assert os.WEXITSTATUS(status) == 0
    assert report == {"ok": True, "connects": 1}
    assert len(children) == PUBLISHES and set(children) <= broker.queued()
    assert broker.connection_ids() >= parent_connections  # the parent's connection is still its own
    connects = broker.counter.count
    assert enqueue(process_inbound_message, PUBLISHES)
    assert broker.counter.count == connects
    assert set(broker.published) <= broker.queued()
