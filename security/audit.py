"""Writing audit events. Every part of the product records through `record` so
that actor, IP, redaction and chaining rules live in one place."""
import ipaddress
import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from . import chain, metrics
from .models import AuditEvent

logger = logging.getLogger("hotelagent.audit")

_SECRET_MARKERS = ("password", "secret", "token", "api_key", "apikey", "authorization")

Type = AuditEvent.Type


def client_ip(request: HttpRequest | None) -> str | None:
    """The client address, trusting X-Forwarded-For only through TRUSTED_PROXY_COUNT proxies."""
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def _text(value: str, max_length: int) -> str:
    """PostgreSQL text cannot hold NUL, and a request path like `/api/v1/x%00/` can."""
    return value.replace("\x00", "\ufffd")[:max_length]


def _ip(value: str | None) -> str | None:
    """A valid address or None: a forwarded header may carry anything."""
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


def redact(value: Any) -> Any:
    """`value` as stored in `details`: secrets' values replaced at any depth, and
    JSON that reads back identically from every database (so it hashes the same
    when the chain is verified): text keys, lists, no NUL, and numbers other than
    integers, dates, decimals and the like kept as text."""
    if isinstance(value, dict):
        return {
            str(key): "[redacted]" if any(marker in str(key).lower() for marker in _SECRET_MARKERS)
            else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [redact(item) for item in value]
    if value is None or isinstance(value, bool | int):
        return value
    return str(value).replace("\x00", "\ufffd")


def record(
    event_type: str,
    *,
    tenant=None,
    action: str = "",
    actor: str = "",
    ip_address: str | None = None,
    request: HttpRequest | None = None,
    resource: str = "",
    details: dict[str, Any] | None = None,
    savepoint: bool = True,
) -> AuditEvent:
    """`savepoint=False` for a caller inside its own transaction that lets Busy end
    it (see `locking.locked`): a booking's audit row then costs no savepoint."""
    if ip_address is None:
        ip_address = client_ip(request)
    event = chain.append(AuditEvent(
        tenant=tenant,
        event_type=event_type,
        action=_text(action, 64),
        actor=_text(actor, 128),
        ip_address=_ip(ip_address),
        resource=_text(resource, 200),
        details=redact(details or {}),
    ), savepoint=savepoint)
    metrics.audit_events.labels(
        type=event_type, action=event.action if event_type in metrics.NAMED_ACTION_TYPES else "",
    ).inc()
    logger.info(
        "audit %s %s tenant=%s actor=%s resource=%s",
        event_type, action, getattr(tenant, "slug", "-"),
        actor.split(":")[0] if actor.startswith(("guest:", "web:")) else actor, resource,  # ids may be phones
    )
    return event
