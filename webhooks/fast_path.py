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

from .gateway import MalformedPayload, whatsapp_delivery
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
        delivery = whatsapp_delivery(json.loads(body))
    except (ValueError, RecursionError, MalformedPayload):
        return None
    if delivery.dropped or not (delivery.messages or delivery.statuses):
        return None
    for update in delivery.statuses:
        if apply_status(update) is StatusOutcome.FOREIGN:
            return None
    stored: list[InboundMessage] = []
    try:
        for message in delivery.messages:
            row = store_inbound(message)
            if row is not None:
                stored.append(row)
    finally:  # what is stored is queued, even when a later message could not be
        for row in stored:
            if row.status == InboundMessage.Status.RECEIVED:
                publish(process_inbound_message, row.pk)
    return {"received": len(delivery.messages), "stored": len(stored), "statuses": len(delivery.statuses),
            "dropped": 0}
