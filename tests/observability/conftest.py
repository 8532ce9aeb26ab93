"""Traces and logs of real traffic: signed WhatsApp deliveries through the whole
stack (eager Celery unless a test starts a worker), replies to a local Graph API."""
import io
import logging

import pytest
from django.db import connection
from opentelemetry.instrumentation import psycopg as psycopg_tracing
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from hotelagent import telemetry
from hotelagent.logging_config import ContextFilter, JsonFormatter
from tests.factories import ChannelAccountFactory, RoomTypeFactory
from tests.webhooks import payloads


@pytest.fixture(autouse=True)
def whatsapp_settings(settings):
    settings.WHATSAPP_APP_SECRET = payloads.APP_SECRET
    settings.WHATSAPP_ACCESS_TOKEN = "graph-token-not-for-any-span"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return settings


@pytest.fixture
def hotel_sol(tenant):
    ChannelAccountFactory(tenant=tenant, external_id=payloads.SOL_NUMBER_ID)
    RoomTypeFactory(tenant=tenant, code="standard", name="Estándar", max_guests=2)
    return tenant


@pytest.fixture
def spans(db):
    """Tracing on, every span kept in memory; off again afterwards. The test
    database's connection was opened before the instrumentation: its cursors are
    traced by hand (Django's cursor class kept underneath)."""
    exporter = InMemorySpanExporter()
    provider = telemetry.start_tracing(SimpleSpanProcessor(exporter))
    raw = connection.connection if connection.vendor == "postgresql" else None
    if raw is not None:
        django_cursor = raw.cursor_factory
        raw.cursor_factory = psycopg_tracing._new_cursor_factory(base_factory=django_cursor,
                                                                 tracer_provider=provider)
    yield exporter
    if raw is not None:
        raw.cursor_factory = django_cursor
    telemetry.stop_tracing()


@pytest.fixture
def json_logs():
    """Every logger at DEBUG through the production handler's filter and formatter;
    returns the buffer the JSON lines go to."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(previous)
