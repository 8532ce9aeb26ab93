"""One JSON object per line in production, readable lines in development, and
URLs that libraries log cut of what they should not carry."""
import json
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured

from hotelagent import logging_config as config
from security import log_context
from tests.test_settings import manage


def record(message: str, *args, name: str = "webhooks.sending", exc_info=None) -> logging.LogRecord:
    made = logging.LogRecord(name, logging.WARNING, __file__, 1, message, args, exc_info)
    config.ContextFilter().filter(made)
    return made


@pytest.fixture
def bound():
    log_context.bind_request("req-1")
    log_context.bind_tenant("hotel-sol")
    yield
    log_context.clear()


def test_a_json_line_has_the_time_level_logger_message_and_context(bound):
    line = json.loads(config.JsonFormatter().format(record("reply %s failed", 7)))

    assert list(line) == ["timestamp", "level", "logger", "message", "request_id", "tenant"]
    assert line["timestamp"].endswith("+00:00")
    assert (line["level"], line["logger"]) == ("WARNING", "webhooks.sending")
    assert line["message"] == "reply 7 failed"
    assert (line["request_id"], line["tenant"]) == ("req-1", "hotel-sol")


def test_a_json_line_keeps_the_traceback_and_drops_extras():
    try:
        raise ValueError("boom")
    except ValueError as error:
        made = record("failed", exc_info=(ValueError, error, error.__traceback__))
    made.request = "<WSGIRequest: GET '/admin/?q=Ana'>"  # what Django's request loggers add

    line = json.loads(config.JsonFormatter().format(made))

    assert "ValueError: boom" in line["exc_info"]
    assert "request" not in line


def test_a_console_line_is_readable(bound):
    line = config.ConsoleFormatter().format(record("reply %s failed", 7))

    assert line.endswith(" WARNING webhooks.sending [request_id=req-1 tenant=hotel-sol] reply 7 failed")


def test_urls_lose_their_query_strings_and_guest_links_their_tokens():
    httpx_line = record('HTTP Request: %s %s "%s %d %s"', "GET",
                        "https://shop.example/api/customers?filter[email]=[ana@example.com]&display=[id]",
                        "HTTP/1.1", 200, "OK", name="httpx")
    django_line = record("Not Found: %s", "/r/eyJhbGciOiJIUzI1NiJ9.eyJjb2RlIjoiSEEifQ.c2ln/",
                         name="django.request")

    config.RedactUrls().filter(httpx_line)
    config.RedactUrls().filter(django_line)

    assert httpx_line.getMessage() == (
        'HTTP Request: GET https://shop.example/api/customers?[query] "HTTP/1.1 200 OK"')
    assert django_line.getMessage() == "Not Found: /r/[token]/"


def test_an_unknown_log_format_stops_the_process():
    with pytest.raises(ImproperlyConfigured):
        config.logging_config(log_format="xml", level="INFO")


def test_production_logs_json_and_development_readable_lines():
    show = "from django.conf import settings; print(settings.LOGGING['handlers']['console']['formatter'])"

    production = manage("shell", "-c", show, DJANGO_DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="h")
    development = manage("shell", "-c", show, DJANGO_DEBUG="true")

    assert (production.stdout.split()[-1], development.stdout.split()[-1]) == ("json", "console")
