"""Storing what arrives, before anything else happens.

A text message is one statement in autocommit, `INSERT … ON CONFLICT DO
NOTHING RETURNING id`: the unique constraint on (channel, account, message id)
makes a redelivery — even one racing in another process — return no row, which
reports "already stored", with no transaction, savepoint or IntegrityError to
pay for. That one round trip is the delivery's durable commit, so the row is
safe to hand to a worker as soon as it returns. Only new messages are handed to
processing. What reaches here has passed the envelope (`envelope.py`): ids are
clean and text and payload hold nothing the database refuses. A media or
location message's metadata is stored with it in one transaction (`media.py`).
"""
import datetime
import logging
from enum import StrEnum
from typing import Any

from django.db import DataError, IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce

from security.inserts import insert_unless_conflict

from . import metrics, send_journal
from .gateway import StatusUpdate, UnifiedMessage
from .media import MEDIA_KINDS, media_store
from .models import InboundMessage, OutboundMessage

logger = logging.getLogger(__name__)

# Same-instant statuses are ordered by how far along the message got.
_STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}
WHATSAPP = "whatsapp"
# Meta's timestamps are whole seconds, from another clock.
_CLOCK_SKEW = datetime.timedelta(seconds=60)


def store_inbound(message: UnifiedMessage) -> InboundMessage | None:
    """The stored row, or None when this message was stored before (or, against
    all expectations, cannot be stored)."""
    row = InboundMessage(
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
    try:
        if message.type in MEDIA_KINDS:
            with transaction.atomic():
                stored = insert_unless_conflict(row)
                if stored:
                    media_store(inbound=row, fields=message.media)
        else:
            stored = insert_unless_conflict(row)
    except (IntegrityError, DataError):
        # The envelope and the routing should make this unreachable (a hotel deleted
        # mid-delivery, a value the database refuses); if not, a signed delivery still
        # gets its 200 (Meta would retry the same bytes for days) and we get the trace.
        logger.exception("%s:%s could not be stored", message.channel, message.message_id)
        return None
    if not stored:
        logger.info("duplicate delivery of %s:%s ignored", message.channel, message.message_id)
        return None
    metrics.count_inbound(tenant=message.tenant_slug, channel=message.channel, message_type=message.type)
    return row


class StatusOutcome(StrEnum):
    APPLIED = "applied"
    IGNORED = "ignored"  # unknown wamid, older than what we hold, or a status we do not track
    FOREIGN = "foreign"  # the wamid is another receiving number's reply: not this delivery's to change


def apply_status(update: StatusUpdate) -> StatusOutcome:
    """Record a delivery status on the reply it names, keeping the newest one.

    A status is matched on (receiving number, wamid): a number only ever learns
    about its own replies, so a delivery on hotel A's number can never touch
    hotel B's. Meta may deliver `read` before `delivered`; a status older than
    the one we hold is ignored."""
    named = OutboundMessage.objects.with_scopes_disabled().filter(
        channel=WHATSAPP, external_id=update.message_id
    )
    own = named.filter(account_external_id=update.account_external_id)
    if update.status in _STATUS_RANK and own.filter(_older_than(update)).update(**_changes(update)):
        return StatusOutcome.APPLIED
    if named.exclude(account_external_id=update.account_external_id).exists():
        logger.warning("status %s for %s arrived on another number (%s)",
                       update.status, update.message_id, update.account_external_id)
        return StatusOutcome.FOREIGN
    if update.status in _STATUS_RANK and not named.exists() and _settle_lost_reply(update):
        return StatusOutcome.APPLIED
    logger.info("status %s for %s not applied (unknown or older)", update.status, update.message_id)
    return StatusOutcome.IGNORED


_LOST = [OutboundMessage.Status.SENDING, OutboundMessage.Status.UNKNOWN]


def _settle_lost_reply(update: StatusUpdate) -> bool:
    """A status for a wamid no reply carries may be the answer to a send whose
    outcome we lost (sending.py): the send journal names the reply, or else it is
    this number's oldest lost reply to the same guest, attempted before the
    status. Only our replies are sent through this number's API, so a lost one
    is the only candidate; a `failed` status proves Meta accepted it too."""
    lost = OutboundMessage.objects.with_scopes_disabled().filter(
        channel=WHATSAPP, account_external_id=update.account_external_id, status__in=_LOST,
    )
    pk = send_journal.reply_for(update.message_id)
    if pk is not None:
        candidate = lost.filter(pk=pk)
    else:
        candidate = lost.filter(
            recipient_id=update.recipient_id, attempt_started_at__lte=update.timestamp + _CLOCK_SKEW,
        ).order_by("attempt_started_at", "pk")[:1]
    reply = candidate.values_list("pk", flat=True).first()
    if reply is None:
        return False
    changes = {**_changes(update), "external_id": update.message_id,
               "sent_at": Coalesce("sent_at", "attempt_started_at")}
    if not lost.filter(pk=reply).update(**changes):
        return False
    logger.info("status %s for %s settles reply %s, whose send outcome was lost",
                update.status, update.message_id, reply)
    metrics.replies_resolved.labels(resolution="status").inc()
    metrics.count_reply(reply, WHATSAPP, metrics.SENT)
    return True


def _older_than(update: StatusUpdate) -> Q:
    behind = ["pending", *_LOST] + [s for s, r in _STATUS_RANK.items() if r < _STATUS_RANK[update.status]]
    return (
        Q(status_at__isnull=True)
        | Q(status_at__lt=update.timestamp)
        | Q(status_at=update.timestamp, status__in=behind)
    )


def _changes(update: StatusUpdate) -> dict[str, Any]:
    changes: dict[str, Any] = {"status": update.status, "status_at": update.timestamp}
    if update.status == OutboundMessage.Status.FAILED:
        changes["error"] = {"errors": update.errors}
    return changes
