"""Storing what arrives, before anything else happens.

Each message is inserted in its own savepoint; the unique constraint on
(channel, account, message id) makes a redelivery — even one racing in another
process — a no-op that reports "already stored". Only new messages are handed
to processing.
"""
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q

from .gateway import StatusUpdate, UnifiedMessage
from .models import InboundMessage, OutboundMessage

logger = logging.getLogger(__name__)

# Same-instant statuses are ordered by how far along the message got.
_STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}


def store_inbound(message: UnifiedMessage) -> InboundMessage | None:
    """The stored row, or None when this message was stored before."""
    try:
        with transaction.atomic():
            return InboundMessage.objects.create(
                tenant_id=message.tenant_id,
                channel=message.channel,
                channel_account_id=message.channel_account_id,
                account_external_id=message.account_external_id,
                external_id=message.message_id,
                sender_id=message.sender_id,
                sender_phone=message.sender_phone,
                sender_name=message.sender_name,
                message_type=message.type,
                text=message.text,
                reply_to_id=message.reply_to_id,
                payload=message.raw,
                sent_at=message.timestamp,
            )
    except IntegrityError:
        logger.info("duplicate delivery of %s:%s ignored", message.channel, message.message_id)
        return None


def apply_status(update: StatusUpdate) -> bool:
    """Record a delivery status on the reply it names, keeping the newest one.

    Meta may deliver `read` before `delivered`; a status older than the one we
    hold is ignored. Returns whether anything changed."""
    if update.status not in _STATUS_RANK:
        return False
    behind = ["pending"] + [s for s, r in _STATUS_RANK.items() if r < _STATUS_RANK[update.status]]
    changes = {"status": update.status, "status_at": update.timestamp}
    if update.status == OutboundMessage.Status.FAILED:
        changes["error"] = {"errors": update.errors}
    updated = (
        OutboundMessage.objects.with_scopes_disabled()
        .filter(external_id=update.message_id)
        .filter(
            Q(status_at__isnull=True)
            | Q(status_at__lt=update.timestamp)
            | Q(status_at=update.timestamp, status__in=behind)
        )
        .update(**changes)
    )
    if not updated:
        logger.info("status %s for %s not applied (unknown or older)", update.status, update.message_id)
    return bool(updated)
