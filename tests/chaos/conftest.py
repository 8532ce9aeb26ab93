"""Chaos tests: a real threaded server (pytest-django's live_server), a real Celery
worker consuming from Redis, PostgreSQL, and a dependency broken on purpose.
Skipped unless DATABASE_URL points at PostgreSQL and REDIS_URL is set."""
import contextlib
import shutil
import socket
import subprocess
import threading
import time

import celery.beat
import httpx
import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.db import connection

from hotelagent.celery import app as celery_app
from reservations.pms import qloapps
from reservations.pms.breaker import forget_pending_audits
from reservations.pms.bulkhead import forget_bulkheads
from security.api_keys import api_key_create
from tests.factories import ChannelAccountFactory, RoomTypeFactory
from tests.resilience.fake_qloapps import KEY, FakeQloApps
from tests.webhooks import payloads

pytestmark = pytest.mark.chaos


@pytest.fixture(autouse=True)
def real_backends(settings):
    if connection.vendor != "postgresql" or not django_settings.REDIS_URL:
        pytest.skip("chaos tests need PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.WHATSAPP_APP_SECRET = payloads.APP_SECRET
    settings.WHATSAPP_ACCESS_TOKEN = "graph-token"
    forget_bulkheads()
    forget_pending_audits()
    yield
    forget_bulkheads()
    forget_pending_audits()


def reset_celery_connections() -> None:
    """Forget pooled broker connections (kombu's registries included), so the next
    publish connects afresh to the current broker URL."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker(settings):
    with running_worker():
        yield


@contextlib.contextmanager
def running_worker():
    reset_celery_connections()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield
    reset_celery_connections()


@pytest.fixture
def beat(tmp_path):
    """Celery beat, for real, ticking the reply sweep every second (its own schedule
    in a file, not the database's: tests/operations runs the DatabaseScheduler)."""
    schedule = {"sweep-unsent-replies": {"task": "webhooks.tasks.sweep_outbound", "schedule": 1.0}}
    previous, celery_app.conf.beat_schedule = celery_app.conf.beat_schedule, schedule
    service = celery.beat.Service(app=celery_app, max_interval=0.5,
                                  scheduler_cls=celery.beat.PersistentScheduler,
                                  schedule_filename=str(tmp_path / "beat-schedule"))
    thread = threading.Thread(target=service.start, name="beat", daemon=True)
    thread.start()
    yield service
    service.stop()
    thread.join(10)
    celery_app.conf.beat_schedule = previous


@pytest.fixture
def hotel(tenant):
    """Hotel Sol on WhatsApp, rooms kept in our own tables."""
    ChannelAccountFactory(tenant=tenant, external_id=payloads.SOL_NUMBER_ID)
    RoomTypeFactory(tenant=tenant, code="standard", name="Estándar", max_guests=2)
    return tenant


@pytest.fixture
def qlo():
    with FakeQloApps() as fake:
        fake.add_room_type(11, "Standard room", rooms=3, rate="120.00")
        yield fake


@pytest.fixture
def qlo_hotel(tenant, qlo, settings, monkeypatch):
    """Hotel Sol on WhatsApp and on QloApps, with short PMS timeouts."""
    tenant.pms_backend, tenant.pms_base_url, tenant.pms_hotel_id = "qloapps", qlo.base_url, "1"
    tenant.pms_connect_timeout = tenant.pms_read_timeout = 0.3
    tenant.save()
    settings.PMS_WEBSERVICE_KEYS = {tenant.slug: KEY}
    settings.PMS_READ_ATTEMPTS = 2
    settings.PMS_CIRCUIT_RECOVERY_SECONDS = 1  # a trial call a second after the circuit opens
    monkeypatch.setattr(qloapps.QloAppsClient, "sleep", staticmethod(lambda seconds: None))
    ChannelAccountFactory(tenant=tenant, external_id=payloads.SOL_NUMBER_ID)
    RoomTypeFactory(tenant=tenant, code="standard", name="Estándar", max_guests=2, pms_room_type_id="11")
    return tenant


@pytest.fixture
def api_key(tenant):
    return api_key_create(tenant=tenant, name="chaos")[1]


class Meta:
    """Meta's side: signed deliveries to the real server, timed."""

    def __init__(self, base_url: str):
        self.url = base_url + "/webhooks/whatsapp/"
        self.acks: list[tuple[int, float]] = []

    def deliver(self, wamid: str, text: str, *, sender: str = payloads.GUEST) -> int:
        body, signature = payloads.signed(payloads.delivery(payloads.change(
            payloads.SOL_NUMBER_ID, messages=[payloads.text(wamid, text, sender=sender)], sender=sender,
        )))
        began = time.monotonic()
        try:
            status = httpx.post(self.url, content=body, timeout=10, headers={
                "Content-Type": "application/json", "X-Hub-Signature-256": signature,
            }).status_code
        except httpx.HTTPError:
            status = 0
        self.acks.append((status, time.monotonic() - began))
        return status

    @property
    def acknowledged(self) -> int:
        return sum(status == 200 for status, _ in self.acks)

    @property
    def slowest_ack(self) -> float:
        return max(seconds for _, seconds in self.acks)


@pytest.fixture
def meta(live_server):
    return Meta(live_server.url)


def wait_for(condition, seconds: float = 20.0, *, every: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A throwaway redis-server of our own: the machine's shared one is never touched."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - a fixed local binary and arguments
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        assert wait_for(self.answers, 10), "redis-server did not start"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def own_redis(settings):
    """Cache and broker moved to a redis-server only this test uses (and may kill)."""
    redis = RedisServer()
    if redis.binary is None:
        pytest.skip("needs the redis-server binary")
    redis.start()
    settings.CACHES = {"default": {
        "BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis.url, "KEY_PREFIX": "chaos",
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient",
                    "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }}
    settings.CELERY_BROKER_URL = redis.url
    reset_celery_connections()
    yield redis
    redis.kill()
    reset_celery_connections()
