"""Turning a stored inbound message into replies, exactly once.

The inbound row is locked for the whole turn: a second task for the same
message (a retry, a sweep, a redelivery race) waits, then finds it processed
and does nothing. Conversation changes, the replies and the new status commit
together; the replies are only sent after that commit.
"""
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from security import audit
from security.hostile import report_if_hostile
from security.log_context import bind_tenant
from security.throttle import count_in_window, first_of_burst

from . import guest_answers
from .agent import respond
from .media import media_of, transcribe_before_turn
from .models import Conversation, InboundMessage, OutboundMessage

logger = logging.getLogger(__name__)

Status = InboundMessage.Status
PROCESSABLE = (Status.RECEIVED, Status.PROCESSING, Status.FAILED)


def conversation_for(message: InboundMessage) -> Conversation:
    """The guest's current conversation with this hotel on this channel, or a new one
    after 24 h of silence (the old one stays as history)."""
    conversation = (
        Conversation.objects.with_scope(tenant=message.tenant)
        .filter(channel=message.channel, guest_id=message.sender_id)
        .order_by("-last_activity_at")
        .first()
    )
    if conversation is None or (conversation.is_expired() and not conversation.needs_staff):
        conversation = Conversation.objects.create(
            tenant=message.tenant,
            channel=message.channel,
            channel_account=message.channel_account,
            guest_id=message.sender_id,
            guest_phone=message.sender_phone,
            guest_name=message.sender_name,
            language=conversation.language if conversation else "",
        )
    conversation.tenant = message.tenant  # already loaded: the turn reads it, no second query
    return conversation


def _is_throttled(message: InboundMessage) -> bool:
    key = f"inbound:{message.tenant_id}:{message.sender_id}"
    if count_in_window(key, message.sent_at) <= settings.INBOUND_MESSAGES_PER_MINUTE:
        return False
    if first_of_burst(key):
        audit.record(
            audit.Type.SUSPICIOUS_ACTIVITY, tenant=message.tenant, action="inbound_flood",
            actor=f"guest:{message.sender_id}", resource=f"{message.channel}:{message.account_external_id}",
            details={"limit_per_minute": settings.INBOUND_MESSAGES_PER_MINUTE},
        )
    return True


def _as_typed(message: InboundMessage) -> str:
    """The guest's words before sanitizing took any markup out: the payload keeps
    them (WhatsApp's message object, the web chat's {"text": ...})."""
    payload = message.payload if isinstance(message.payload, dict) else {}
    typed = payload.get("text")
    if isinstance(typed, dict):
        typed = typed.get("body")
    return typed if isinstance(typed, str) and typed else message.text


MAX_CHOICE_ID = 256  # Meta's limit for a reply button's id; the ids the agent gives are shorter


def tapped_choice_id(message: InboundMessage) -> str:
    """The id of the choice the guest tapped, or "" when they typed. WhatsApp
    sends it with a reply button (`interactive.button_reply.id`), a list row
    (`interactive.list_reply.id`) or a template's quick reply (`button.payload`);
    the stored text is the tapped title, for staff to read. The payload passed
    the envelope, yet anything unexpected in it just means "no tap"."""
    payload = message.payload if isinstance(message.payload, dict) else {}
    if payload.get("type") == "interactive":
        interactive = payload.get("interactive")
        interactive = interactive if isinstance(interactive, dict) else {}
        tapped = interactive.get("button_reply") or interactive.get("list_reply")
        choice_id = tapped.get("id") if isinstance(tapped, dict) else None
    elif payload.get("type") == "button":
        button = payload.get("button")
        choice_id = button.get("payload") if isinstance(button, dict) else None
    else:
        choice_id = None
    if not isinstance(choice_id, str) or len(choice_id) > MAX_CHOICE_ID:
        return ""
    return choice_id


LIST_BUTTON = {"es": "Ver opciones", "en": "See options"}


def _interactive(text: str, language: str) -> dict | None:
    """The choices a reply offers, as `OutboundMessage.interactive` keeps them
    (None for plain text). A list message needs a button label: when the agent
    gave none, one in the guest's language, known here and not at sending time."""
    interactive = getattr(text, "as_interactive", lambda: None)()
    if interactive is not None and not interactive.get("button"):
        interactive = {**interactive, "button": LIST_BUTTON.get(language, LIST_BUTTON["es"])}
    return interactive


def process_inbound(inbound_id: int) -> list[OutboundMessage]:
    """Process one stored message; returns the replies created (empty when the
    message was already handled, throttled, ignored or handed to staff). A voice
    note is transcribed first, outside the lock, when transcription is on."""
    transcribe_before_turn(inbound_id)
    with transaction.atomic():
        message = (
            InboundMessage.objects.with_scopes_disabled()
            .select_for_update(of=("self",))
            .select_related("tenant", "channel_account")
            .filter(pk=inbound_id, status__in=PROCESSABLE)
            .first()
        )
        if message is None:
            return []
        return process_message(message)


def process_message(message: InboundMessage, *, reply_status: str = OutboundMessage.Status.PENDING
                    ) -> list[OutboundMessage]:
    """The turn for a message whose row the caller holds inside its transaction
    (locked, or inserted by it): the conversation, the replies (created with
    `reply_status`: the web chat's travel back in the response, already sent)
    and the message's new status, all in the caller's one commit."""
    bind_tenant(message.tenant.slug, channel=message.channel, message_type=message.message_type)
    message.attempts += 1
    if not message.tenant.is_active:
        return _finish(message, Status.IGNORED)
    if message.attempts == 1 and _is_throttled(message):
        return _finish(message, Status.THROTTLED)
    conversation = conversation_for(message)
    message.conversation = conversation
    report_if_hostile(
        _as_typed(message), tenant=message.tenant, source=message.channel,
        actor=f"guest:{message.sender_id}", field="text",
    )
    choice_id = tapped_choice_id(message)
    texts = guest_answers.answer(message, conversation, choice_id=choice_id)
    if texts is None:
        texts = respond(
            conversation=conversation, text=message.text, message_type=message.message_type,
            message_id=message.external_id, choice_id=choice_id, media=media_of(message),
        )
    sent_at = timezone.now() if reply_status == OutboundMessage.Status.SENT else None
    replies = OutboundMessage.objects.bulk_create([
        OutboundMessage(
            tenant=message.tenant, conversation=conversation, inbound=message, sequence=n,
            channel=message.channel, account_external_id=message.account_external_id,
            recipient_id=message.sender_id, text=text, status=reply_status, sent_at=sent_at,
            interactive=_interactive(text, conversation.language),
            media=getattr(text, "media", None) if message.channel == "whatsapp" else None,
            purpose=getattr(text, "purpose", "") if message.channel == "whatsapp" else "",
            template_values=getattr(text, "template_values", {}) if message.channel == "whatsapp" else {},
        )
        for n, text in enumerate(texts)
    ])
    _finish(message, Status.PROCESSED)
    return replies


def _finish(message: InboundMessage, status: str) -> list:
    message.status = status
    message.processed_at = timezone.now()
    message.error = ""
    message.save(update_fields=["status", "processed_at", "error", "attempts", "conversation"])
    return []


def mark_failed(inbound_id: int, error: Exception) -> None:
    """Record an unexpected failure so the sweep can retry and staff can see it."""
    InboundMessage.objects.with_scopes_disabled().filter(pk=inbound_id).exclude(
        status=Status.PROCESSED
    ).update(
        status=Status.FAILED, attempts=F("attempts") + 1,
        error=f"{type(error).__name__}: {error}"[:2000],
    )
