"""Logs a machine can read: one JSON object per line in production
(`LOG_FORMAT=json`, the default when DJANGO_DEBUG is off), a readable line in
development (`console`).

Every line says when, how bad, which logger and what, then what the work was
about when it is known: `request_id` (hotelagent/request_id.py), `tenant` (the
hotel's slug, bound where the hotel is resolved), `trace_id` and `span_id` (when
tracing is on), `task_id` and `task_name` in a Celery task; `exc_info` holds a
traceback. Nothing else of a record is written: a Django `request` extra would
print the path, query string included.

Guest text and secrets are kept out where the line is written (ids, not
values). What libraries write is cut here: httpx's "HTTP Request: GET …" and
Django's request lines lose their query strings (QloApps looks a customer up by
email in one, an admin search is a guest's name) and guest links their tokens.

The request id and the hotel travel with the tasks a request queues, in the
task message's headers, as the trace does.
"""
import logging
import logging.config
import re

from celery import signals
from django.core.exceptions import ImproperlyConfigured
from opentelemetry import trace
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from security import log_context

FORMATS = ("json", "console")
CONTEXT_FIELDS = (*log_context.FIELDS, "trace_id", "span_id")
JSON_FIELDS = ("timestamp", "level", "logger", "message", *CONTEXT_FIELDS, "exc_info", "stack_info")
# Loggers that write URLs or request lines: httpx's client, Django's 4xx/5xx and runserver lines.
URL_LOGGERS = ("httpx", "django.request", "django.server")


def logging_config(*, log_format: str, level: str) -> dict:
    """The LOGGING setting."""
    if log_format not in FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": ContextFilter},
            "redact_urls": {"()": RedactUrls},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {"json": {"()": JsonFormatter}, "console": {"()": ConsoleFormatter}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["context"]},
            "mail_admins": {"level": "ERROR", "filters": ["require_debug_false"],
                            "class": "django.utils.log.AdminEmailHandler"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's defaults, but its lines reach the console through the root's handler only
            # (its own console handler printed each of them a second time in debug).
            "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
            # Filters on the loggers themselves, so every handler (pytest's caplog too) sees the cut
            # line; propagate, because Django's defaults give django.server a handler of its own.
            **{name: {"filters": ["redact_urls"], "propagate": True} for name in URL_LOGGERS},
        },
    }


class ContextFilter(logging.Filter):
    """Puts the bound context and the current span's ids on the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in log_context.current().items():
            setattr(record, name, value)
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            record.trace_id = format(span.trace_id, "032x")
            record.span_id = format(span.span_id, "016x")
        return True


_QUERY = re.compile(r"\?[^\s\"']+")
_GUEST_LINK = re.compile(r"/r/[^/\s\"'?]+")


class RedactUrls(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cut = _GUEST_LINK.sub("/r/[token]", _QUERY.sub("?[query]", message))
        if cut != message:
            record.msg, record.args = cut, None
        return True


class JsonFormatter(_JsonFormatter):
    def __init__(self):
        super().__init__("%(levelname)s %(name)s %(message)s",
                         rename_fields={"levelname": "level", "name": "logger"}, timestamp=True)

    def process_log_record(self, log_data: dict) -> dict:
        return {key: log_data[key] for key in JSON_FIELDS if log_data.get(key)}


class ConsoleFormatter(logging.Formatter):
    """`2026-11-25 10:00:00,123 INFO webhooks.sending [request_id=… tenant=hotel-sol] reply 7 …`"""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s%(context)s %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's naming
        context = " ".join(f"{name}={value}" for name in CONTEXT_FIELDS
                           if name != "span_id" and (value := getattr(record, name, "")))
        record.context = f" [{context}]" if context else ""
        return super().formatMessage(record)


# --- Celery: the context travels with the task ---------------------------------

HEADER = "hotelagent_log_context"
_TRAVELS = ("request_id", "tenant")
_before_task: dict[str, dict[str, str]] = {}


@signals.before_task_publish.connect(weak=False)
def _send_context(headers=None, **kwargs) -> None:
    if headers is not None:
        headers[HEADER] = {name: value for name, value in log_context.current().items() if name in _TRAVELS}


@signals.task_prerun.connect(weak=False)
def _bind_task(task_id=None, task=None, **kwargs) -> None:
    """In a worker the context comes from the message; run eagerly, the task
    goes on with its caller's and gives it back afterwards."""
    if task is None or task_id is None:
        return
    _before_task[task_id] = log_context.current()
    sent = getattr(task.request, HEADER, None)
    sent = {name: str(value)[:128] for name, value in sent.items() if name in _TRAVELS} \
        if isinstance(sent, dict) else {}
    log_context.restore({**log_context.current(), **sent, "task_id": task_id, "task_name": task.name})


@signals.task_postrun.connect(weak=False)
def _unbind_task(task_id=None, **kwargs) -> None:
    if tenant := log_context.current().get("tenant"):
        log_context.bind_tenant(tenant)  # names the task's span too: the tracing receiver ends it later
    log_context.restore(_before_task.pop(task_id, {}))


@signals.setup_logging.connect(weak=False)
def _keep_our_logging(**kwargs) -> None:
    """With a receiver here, a worker does not replace the root logger's handlers
    with Celery's own format; it logs like the web processes (LOG_LEVEL decides,
    not `-l`). Configured already (Django was set up first, or pytest's handlers
    are in place): left alone."""
    if not logging.getLogger().handlers:
        from django.conf import settings

        logging.config.dictConfig(settings.LOGGING)
