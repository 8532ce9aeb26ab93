"""Sending replies through the WhatsApp Cloud API.

One attempt per call; the Celery task decides about retrying. Timeouts, 5xx and
429 are worth retrying; any other 4xx means the request itself is wrong and a
retry would fail the same way, so the reply is marked failed at once.
"""
import logging
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import OutboundMessage

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status


class RetryableSendError(Exception):
    """The Graph API was unreachable, slow or overloaded; try again later."""


@dataclass(frozen=True)
class SendResult:
    sent: bool
    skipped: bool = False
    retry_reason: str = ""


def _graph_request(outbound: OutboundMessage) -> httpx.Response:
    url = f"{settings.WHATSAPP_API_BASE_URL.rstrip('/')}/{outbound.account_external_id}/messages"
    body = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": outbound.recipient_id,
        "type": "text",
        "text": {"preview_url": False, "body": outbound.text},
    }
    headers = {"Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"}
    return httpx.post(url, json=body, headers=headers, timeout=settings.WHATSAPP_SEND_TIMEOUT)


def send_outbound(outbound_id: int, *, final_attempt: bool = False) -> SendResult:
    """Send one pending reply. The row stays locked during the call so two workers
    can never send the same reply; a reply that is not pending is left alone.
    Raises RetryableSendError (after recording the error) when worth retrying."""
    result = _attempt(outbound_id, final_attempt)
    if result.retry_reason:
        raise RetryableSendError(result.retry_reason)
    return result


def _attempt(outbound_id: int, final_attempt: bool) -> SendResult:
    with transaction.atomic():
        outbound = (
            OutboundMessage.objects.with_scopes_disabled()
            .select_for_update(skip_locked=True)
            .filter(pk=outbound_id, status=Status.PENDING, channel="whatsapp")
            .first()
        )
        if outbound is None:
            return SendResult(sent=False, skipped=True)
        outbound.attempts += 1
        try:
            response = _graph_request(outbound)
        except httpx.HTTPError as exc:
            return _retry_or_fail(outbound, {"error": type(exc).__name__, "detail": str(exc)[:500]},
                                  final_attempt)
        if response.status_code == 429 or response.status_code >= 500:
            return _retry_or_fail(outbound, _error_body(response), final_attempt)
        if response.status_code >= 400:
            return _fail(outbound, _error_body(response))
        outbound.status = Status.SENT
        outbound.sent_at = timezone.now()
        outbound.external_id = _message_id(response)
        outbound.error = {}
        outbound.save(update_fields=["status", "sent_at", "external_id", "error", "attempts"])
        return SendResult(sent=True)


def _error_body(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        body = {"body": response.text[:500]}
    return {"http_status": response.status_code, "response": body}


def _message_id(response: httpx.Response) -> str:
    try:
        return str(response.json()["messages"][0]["id"])[:255]
    except (ValueError, KeyError, IndexError, TypeError):
        return ""


def _fail(outbound: OutboundMessage, error: dict) -> SendResult:
    logger.error("reply %s failed for good: %s", outbound.pk, error)
    outbound.status = Status.FAILED
    outbound.error = error
    outbound.save(update_fields=["status", "error", "attempts"])
    return SendResult(sent=False)


def _retry_or_fail(outbound: OutboundMessage, error: dict, final_attempt: bool) -> SendResult:
    if final_attempt:
        return _fail(outbound, error)
    outbound.error = error
    outbound.save(update_fields=["error", "attempts"])
    return SendResult(sent=False, retry_reason=str(error)[:200])
