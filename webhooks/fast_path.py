"""A signed delivery of guests' messages, taken without a request object.

Nearly every delivery Meta sends to the webhook is the same: a valid signature,
one or a few messages, nothing the envelope drops. For those the work is the
view's (`views.py`) with nothing else: verify, read the envelope, store each
message in its one autocommit INSERT, queue its processing, count it. The WSGI
front (`hotelagent/intake_wsgi.py`) hands such a request here before Django's
request cycle, whose middleware and handler cost more than the rest together.

Delivery statuses (sent, delivered, read: most of what Meta sends once the
agent replies) are applied here too, before any message is stored. A status
naming another number's reply must be audited with the request, so the first
one found hands the whole delivery to the view, which applies them again (an
applied status is not applied twice) and audits it.

`accept` answers only what it can answer exactly as the view would; for
anything else (a bad or missing signature, a body that is not JSON, an envelope
that does not fit, dropped items, a foreign status: everything that may need
the request to audit it) it returns None having stored nothing, and the
request goes on to the view.
"""
import json
from typing import Any

from django.conf import settings

from .gateway import MalformedPayload, UnifiedMessage, WhatsAppDelivery, whatsapp_delivery
from .intake import StatusOutcome, apply_status, store_inbound
from .models import InboundMessage
from .signature import signature_is_valid
from .task_messages import publish
from .tasks import process_inbound_message


def accept(body: bytes, signature: str) -> dict[str, Any] | None:
    """The view's answer for a delivery of messages and statuses, once they are
    applied, stored and queued; None, with nothing stored, for any other request."""
    if not signature_is_valid(settings.WHATSAPP_APP_SECRET, body, signature):
        return None
    try:
        delivery = read_delivery(body)
    except MalformedPayload:
        return None
    if delivery.dropped or not (delivery.messages or delivery.statuses):
        return None
    for update in delivery.statuses:
        if apply_status(update) is StatusOutcome.FOREIGN:
            return None
    return answer(delivery, store_and_queue(delivery.messages))


def read_delivery(body: bytes) -> WhatsAppDelivery:
    """What a signed body delivers; MalformedPayload when it is not JSON (RecursionError
    is what json.loads raises for nesting that would exhaust the stack) or does not
    fit the envelope."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        raise MalformedPayload({"non_field_errors": ["The body is not JSON."]}) from None
    return whatsapp_delivery(payload)


def store_and_queue(messages: list[UnifiedMessage]) -> list[InboundMessage]:
    """Each message stored in its own autocommit INSERT, and each new one queued
    for processing, even when a later message could not be stored."""
    stored: list[InboundMessage] = []
    try:
        for message in messages:
            row = store_inbound(message)
            if row is not None:
                stored.append(row)
    finally:  # each row committed in store_inbound: safe to hand to a worker
        for row in stored:
            if row.status == InboundMessage.Status.RECEIVED:
                publish(process_inbound_message, row.pk)
    return stored


def answer(delivery: WhatsAppDelivery, stored: list[InboundMessage]) -> dict[str, int]:
    """What Meta is told a delivery came to."""
    return {"received": len(delivery.messages), "stored": len(stored), "statuses": len(delivery.statuses),
            "dropped": len(delivery.dropped)}
