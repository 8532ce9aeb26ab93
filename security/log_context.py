"""What the work in hand is about, for every log line and span it produces: the
request id, the hotel, and inside a Celery task the task's id and name.

Context variables, so each thread (and each asyncio task) has its own; the
request-id middleware starts a request's, Celery's signals carry it into the
tasks the request queues (hotelagent/logging_config.py), and whoever resolves
the hotel calls `bind_tenant`. It lives here, low in the layers, so that
webhooks, reservations and security can all say which hotel they work for.

Only identifiers go in: a hotel's slug, a channel, a message type — never a
guest's words, name, phone or email.
"""
from collections.abc import Mapping
from contextvars import ContextVar

from opentelemetry import trace

FIELDS = ("request_id", "tenant", "task_id", "task_name")
_vars: dict[str, ContextVar[str]] = {name: ContextVar(f"log_{name}", default="") for name in FIELDS}


def bind_tenant(slug: str, *, channel: str = "", message_type: str = "") -> None:
    """The hotel this work is for, from here on; also named on the current span
    (with the channel and message type, when given)."""
    _vars["tenant"].set(slug)
    span = trace.get_current_span()
    if span.is_recording():
        span.set_attributes({key: value for key, value in (
            ("hotelagent.tenant", slug), ("hotelagent.channel", channel),
            ("hotelagent.message_type", message_type)) if value})


def bind_request(request_id: str) -> None:
    """A new request: its id, and no hotel until one is resolved."""
    _vars["request_id"].set(request_id)
    _vars["tenant"].set("")
    span = trace.get_current_span()
    if span.is_recording():
        span.set_attribute("hotelagent.request_id", request_id)


def current() -> dict[str, str]:
    """The bound fields that have a value."""
    return {name: value for name, var in _vars.items() if (value := var.get())}


def restore(snapshot: Mapping[str, str]) -> None:
    """Bind exactly `snapshot` (what `current()` returned), clearing the rest."""
    for name, var in _vars.items():
        var.set(snapshot.get(name, ""))


def clear() -> None:
    restore({})
