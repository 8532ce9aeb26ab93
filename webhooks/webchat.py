"""The hotel website's chat: the same agent as WhatsApp, answered synchronously.

Stored as an InboundMessage like any other channel, so the admin thread view,
throttling and exactly-once rules are the same; the reply travels back in the
HTTP response, so its OutboundMessage rows are marked sent right away.
"""
import logging
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from security import audit
from security.validation import sanitize_text

from . import metrics
from .emergency import respond_to_failure
from .gateway import MAX_TEXT_LENGTH
from .models import InboundMessage, OutboundMessage
from .processing import PROCESSABLE, mark_failed, process_message
from .tasks import MAX_PROCESSING_ATTEMPTS

logger = logging.getLogger(__name__)

WEB_CHANNEL = "web"


@dataclass(frozen=True)
class WebReply:
    text: str
    conversation_id: int | None


def _stored(
    tenant, sender: str, text: str, message_id: str, *, chosen_by_client: bool, ip_address: str | None
) -> InboundMessage:
    """The new message, or the one this sender stored under `message_id` before.

    The replay key is (hotel, channel, sender, message id): the website picks
    the ids, so another visitor reusing one gets a new message of their own,
    never the first visitor's conversation. Such a reuse is worth an audit event:
    honest websites generate ids that do not collide."""
    fields = dict(
        tenant=tenant, channel=WEB_CHANNEL, account_external_id=f"web:{tenant.slug}",
        external_id=message_id, sender_id=sender, message_type="text",
        text=sanitize_text(text, max_length=MAX_TEXT_LENGTH), sent_at=timezone.now(),
        payload={"text": text},  # as typed, for processing's hostile-input report
    )
    try:
        if chosen_by_client:  # a replay is possible only for ids the website chose
            with transaction.atomic():
                inbound = InboundMessage.objects.create(**fields)
        else:
            inbound = InboundMessage.objects.create(**fields)
    except IntegrityError:
        return InboundMessage.objects.with_scope(tenant=tenant).get(
            channel=WEB_CHANNEL, account_external_id=fields["account_external_id"],
            sender_id=sender, external_id=message_id,
        )
    metrics.count_inbound(tenant=tenant.slug, channel=WEB_CHANNEL, message_type="text")
    if chosen_by_client and _used_by_another_sender(inbound):
        audit.record(
            audit.Type.SUSPICIOUS_ACTIVITY, tenant=tenant, action="webchat_message_id_reused",
            actor=f"web:{sender[:64]}", ip_address=ip_address,
            resource=f"webhooks.inboundmessage:{inbound.pk}",
            details={"reason": "another sender already used this message_id"},
        )
    return inbound


def _used_by_another_sender(inbound: InboundMessage) -> bool:
    return (
        InboundMessage.objects.with_scope(tenant=inbound.tenant)
        .filter(channel=WEB_CHANNEL, account_external_id=inbound.account_external_id,
                external_id=inbound.external_id)
        .exclude(pk=inbound.pk)
        .exists()
    )


def web_message_reply(
    *, tenant, sender: str, text: str, message_id: str = "", ip_address: str | None = None
) -> WebReply:
    """Process one web-chat message and return the agent's reply, in one commit:
    the message, the turn and the replies (already sent: they travel back in
    this response). The same sender resending the same message_id gets the first
    reply instead of talking to the agent again. If the turn fails, nothing of it
    was committed: the message is then stored on its own, marked failed for the
    sweep, and the guest gets an apology, never a 500."""
    stored = {"tenant": tenant, "sender": sender, "text": text, "message_id": message_id or uuid.uuid4().hex,
              "chosen_by_client": bool(message_id), "ip_address": ip_address}
    try:
        with transaction.atomic():
            inbound = _stored(**stored)
            if inbound.status in PROCESSABLE:
                replies = process_message(inbound, reply_status=OutboundMessage.Status.SENT)
            else:
                replies = list(OutboundMessage.objects.with_scope(tenant=tenant).filter(inbound=inbound))
    except Exception as exc:  # the guest gets the apology below, never a 500
        inbound = _stored(**stored)
        logger.exception("web chat message %s failed", inbound.pk)
        mark_failed(inbound.pk, exc)
        respond_to_failure(inbound.pk, exc, max_attempts=MAX_PROCESSING_ATTEMPTS)
        replies = list(OutboundMessage.objects.with_scope(tenant=tenant).filter(inbound=inbound))
        _mark_sent(tenant, inbound)
    sent = [reply for reply in replies if reply.sent_at is not None]
    metrics.count_web_replies(tenant=tenant.slug, received_at=inbound.received_at, sent=len(sent),
                              sent_at=timezone.now())
    replies.sort(key=lambda reply: reply.sequence)
    conversation = inbound._state.fields_cache.get("conversation")  # the turn's, when it ran
    staff_may_have_written = conversation is None or conversation.needs_staff
    staff = _staff_replies_waiting(tenant, inbound.conversation_id) if staff_may_have_written else []
    return WebReply("\n\n".join(reply.text for reply in [*staff, *replies]), inbound.conversation_id)


def _staff_replies_waiting(tenant, conversation_id) -> list[OutboundMessage]:
    """What staff wrote from the back office since the guest's last message. A web
    chat has no way to push, so it travels with the answer to the guest's next
    message (first, as it was written first), and is marked sent then. Staff write
    only to a conversation they hold (a reply takes it over), so a turn of one the
    agent answers does not look."""
    if conversation_id is None:
        return []
    waiting = list(OutboundMessage.objects.with_scope(tenant=tenant).filter(
        conversation_id=conversation_id, sent_by__isnull=False, status=OutboundMessage.Status.PENDING,
    ).order_by("created_at", "pk"))
    if waiting:
        OutboundMessage.objects.with_scope(tenant=tenant).filter(pk__in=[r.pk for r in waiting]).update(
            status=OutboundMessage.Status.SENT, sent_at=timezone.now())
    return waiting


def _mark_sent(tenant, inbound: InboundMessage) -> None:
    """Replies written outside the turn (the apology) go back in this response too."""
    OutboundMessage.objects.with_scope(tenant=tenant).filter(
        inbound=inbound, status=OutboundMessage.Status.PENDING
    ).update(status=OutboundMessage.Status.SENT, sent_at=timezone.now())
