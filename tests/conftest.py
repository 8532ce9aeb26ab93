import pytest
import redis.client
from celery.result import _set_task_join_will_block
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from reservations.pms.breaker import forget_pending_audits
from security.api_keys import api_key_create
from webhooks.resolution import forget_local_answers

from .factories import RoomTypeFactory, TenantFactory
from .webhooks.graph_api import FakeGraphAPI


@pytest.fixture(autouse=True)
def _clear_cache():
    """Redis outlives a test; start each test with an empty cache. PMS circuit
    changes held for a rolled-back transaction (reservations.pms.breaker) outlive it
    too: one held by a test whose hotel is gone would be written by the next booking."""
    cache.clear()
    forget_local_answers()  # webhook routing kept in the process: another test's hotels
    forget_pending_audits()
    yield
    forget_pending_audits()


@pytest.fixture(autouse=True)
def _celery_joins_allowed():
    """Celery keeps "a task is running, .get() would block" in one process-wide flag
    that Task.apply sets and restores around an eager run. Two threads running eager
    tasks at once (the overbooking and redelivery tests) can restore each other's
    value and leave it set, and every later test's `.apply().get()` then raises
    "Never call result.get() within a task!". Each test starts outside any task."""
    _set_task_join_will_block(False)


@pytest.fixture
def client():
    """A browser that asks for English, as most tests read the back office in English
    (without it staff see their hotel's language: tenants/staff_language.py)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


# Redis on a port nothing listens on, with short timeouts: the cache is down.
UNREACHABLE_CACHES = {"default": {
    "BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
}}


@pytest.fixture
def cache_down(settings):
    """The cache (Redis) unreachable for the test."""
    settings.CACHES = UNREACHABLE_CACHES


@pytest.fixture
def graph_api(settings):
    """Meta's Graph API, stood in by a real local HTTP server (tests/webhooks/graph_api.py)."""
    with FakeGraphAPI() as fake:
        settings.WHATSAPP_API_BASE_URL = fake.base_url
        yield fake


@pytest.fixture
def tenant(db):
    return TenantFactory(slug="hotel-sol", name="Hotel Sol")


@pytest.fixture
def other_tenant(db):
    return TenantFactory(
        slug="harbor-inn", name="Harbor Inn", timezone="America/New_York", country="US",
        currency="USD", language="en",
    )


@pytest.fixture
def standard(tenant):
    return RoomTypeFactory(tenant=tenant, code="standard", name="Standard", max_guests=2)


@pytest.fixture
def api_key(tenant):
    return api_key_create(tenant=tenant, name="tests")[1]


@pytest.fixture
def api(api_key):
    """An API client authenticated as the `tenant` hotel."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key}")
    return client


@pytest.fixture
def booking_payload(tenant, standard):
    from .factories import stay

    check_in, check_out = stay(tenant=tenant)
    return {
        "check_in": check_in.isoformat(),
        "check_out": check_out.isoformat(),
        "room_type": "standard",
        "guest_name": "Ana García",
        "guest_email": "Ana.Garcia@Example.com",
        "guest_phone": "612 345 678",
        "guests": 2,
        "special_requests": "Cama extra, por favor",
    }


def pytest_terminal_summary(terminalreporter):
    """The agent corpus's share by category, in every run's output (tests/agent/test_corpus.py)."""
    for report in terminalreporter.getreports("passed") + terminalreporter.getreports("failed"):
        for name, value in getattr(report, "user_properties", []):
            if name == "corpus_report":
                terminalreporter.write_sep("-", "agent corpus: conversations understood, by category")
                terminalreporter.write_line(value)


@pytest.fixture
def redis_round_trips(monkeypatch):
    """Commands and pipelines sent to Redis, counted where redis-py sends them."""
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    sent = {"count": 0}

    def counting(original):
        def send(*args, **kwargs):
            sent["count"] += 1
            return original(*args, **kwargs)
        return send

    monkeypatch.setattr(redis.client.Redis, "execute_command", counting(redis.client.Redis.execute_command))
    monkeypatch.setattr(redis.client.Pipeline, "execute", counting(redis.client.Pipeline.execute))
    return sent
