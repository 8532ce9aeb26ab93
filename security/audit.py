"""Writing audit events. Every part of the product records through `record` so
that actor, IP and redaction rules live in one place."""
import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest

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


def _redact(details: dict[str, Any]) -> dict[str, Any]:
    return {
        key: "[redacted]" if any(marker in key.lower() for marker in _SECRET_MARKERS) else value
        for key, value in details.items()
    }


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
) -> AuditEvent:
    if ip_address is None:
        ip_address = client_ip(request)
    event = AuditEvent.objects.create(
        tenant=tenant,
        event_type=event_type,
        action=action,
        actor=_text(actor, 128),
        ip_address=ip_address,
        resource=_text(resource, 200),
        details=_redact(details or {}),
    )
    logger.info(
        "audit %s %s tenant=%s actor=%s resource=%s",
        event_type, action, getattr(tenant, "slug", "-"), actor, resource,
    )
    return event
