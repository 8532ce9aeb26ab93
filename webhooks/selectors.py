"""Reading conversations the way staff look at them."""
import datetime
import json
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy

from reservations.selectors import reservations_for

from .models import (
    CannedReply,
    Conversation,
    InboundMessage,
    MessagePurpose,
    MessageTemplate,
    OutboundMessage,
)

THREAD_LIMIT = 500  # messages of each side; a conversation ends after a day of silence anyway
_DONE = {"processed", "sent", "delivered", "read"}
_FAILED = {"failed", "unknown"}
# Why a reply is not (yet) with the guest, as staff should read it (webhooks/sending.py).
_REASONS = {
    "customer_service_window_closed": gettext_lazy(
        "Not sent: the guest's 24-hour WhatsApp window closed first, and free text is refused after it. "
        "Call the guest, or retry once they write again."),
    "template_missing": gettext_lazy(
        "Not sent: the guest's 24-hour WhatsApp window is closed, and the hotel has no approved template "
        "for this kind of message. Add it under Message templates, then retry."),
    "retry_horizon_exceeded": gettext_lazy(
        "Not sent: WhatsApp could not be reached for the whole retry period."),
    "outcome_unknown": gettext_lazy(
        "WhatsApp's answer to this reply was lost: it will be sent again at %(at)s unless WhatsApp "
        "confirms it first (the guest may see it twice)."),
}


def _message_count(model):
    # Correlated to a conversation row the outer query has already scoped.
    rows = (
        model.objects.with_scopes_disabled()
        .filter(conversation=OuterRef("pk"))
        .order_by()
        .values("conversation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_message_counts(conversations: QuerySet) -> QuerySet:
    """Each conversation with `message_count` (guest's and hotel's messages), in
    the list's own query. Two subqueries rather than two joins, which would
    multiply each side's rows by the other's."""
    return conversations.annotate(
        message_count=_message_count(InboundMessage) + _message_count(OutboundMessage)
    )


@dataclass(frozen=True)
class ThreadEntry:
    side: str  # "guest" or "hotel"
    at: datetime.datetime
    message: InboundMessage | OutboundMessage

    @property
    def tone(self) -> str:
        """How the status badge looks: done, failed, or on its way (or set aside)."""
        status = self.message.status
        return "done" if status in _DONE else "failed" if status in _FAILED else "waiting"

    @property
    def error(self) -> str:
        """What went wrong, in one line: why we stopped or are waiting when we
        know, else the Graph API's message when it gave one."""
        error = self.message.error
        if not error or isinstance(error, str):
            return error or ""
        if error.get("reason") in _REASONS:
            at = self.message.next_attempt_at
            return _REASONS[error["reason"]] % {"at": formats.localize(timezone.localtime(at)) if at else ""}
        response, errors = error.get("response"), error.get("errors")
        details = response.get("error") if isinstance(response, dict) else None
        if details is None and isinstance(errors, list) and errors:
            details = errors[0]  # a "failed" status update from the webhook
        if isinstance(details, dict) and (details.get("message") or details.get("title")):
            return f"{details.get('code', '')} {details.get('message') or details.get('title')}".strip()
        if isinstance(error.get("error"), str):  # the Graph API could not be reached
            return ": ".join(part for part in (error["error"], error.get("detail")) if part)
        return json.dumps(error, ensure_ascii=False, default=str)[:300]


def conversation_thread(*, conversation: Conversation) -> list[ThreadEntry]:
    """The guest's messages and the hotel's replies, oldest first. A reply is
    stored after the message it answers, so times order them; at the same
    instant the guest's message comes first."""
    inbound = InboundMessage.objects.with_scope(tenant=conversation.tenant_id).filter(
        conversation=conversation
    ).select_related("media").order_by("-received_at", "-id")[:THREAD_LIMIT]
    outbound = OutboundMessage.objects.with_scope(tenant=conversation.tenant_id).filter(
        conversation=conversation
    ).select_related("sent_by").order_by("-created_at", "-id")[:THREAD_LIMIT]
    entries = [ThreadEntry("guest", message.received_at, message) for message in inbound]
    entries += [ThreadEntry("hotel", reply.created_at, reply) for reply in outbound]
    entries.sort(key=lambda entry: (entry.at, entry.side == "hotel", entry.message.pk))
    return entries[-THREAD_LIMIT:]


# --- Answering from the back office ---------------------------------------------

#: WhatsApp accepts free text only this long after the guest's last message
#: (its "customer service window"); webhooks/sending.py stops retrying there too.
REPLY_WINDOW = datetime.timedelta(hours=24)
NO_WINDOW_CHANNELS = frozenset({"web"})  # the hotel's own web chat: no window to keep


@dataclass(frozen=True)
class ReplyWindow:
    """Whether staff may write free text to the guest now, and until when.
    `closes_at` is None on channels without a window."""

    is_open: bool
    closes_at: datetime.datetime | None = None

    def time_left(self, now: datetime.datetime | None = None) -> datetime.timedelta | None:
        if self.closes_at is None:
            return None
        return max(self.closes_at - (now or timezone.now()), datetime.timedelta(0))


def last_guest_message_at(*, conversation: Conversation) -> datetime.datetime | None:
    """When the guest last wrote to this hotel on this channel, in any of their
    conversations with it: WhatsApp's window follows the person, not our thread."""
    return (
        InboundMessage.objects.with_scope(tenant=conversation.tenant_id)
        .filter(channel=conversation.channel, sender_id=conversation.guest_id)
        .aggregate(at=Max("sent_at"))["at"]
    )


def reply_window(*, conversation: Conversation, now: datetime.datetime | None = None) -> ReplyWindow:
    if conversation.channel in NO_WINDOW_CHANNELS:
        return ReplyWindow(is_open=True)
    last = last_guest_message_at(conversation=conversation)
    if last is None:
        return ReplyWindow(is_open=False)
    closes_at = last + REPLY_WINDOW
    return ReplyWindow(is_open=(now or timezone.now()) < closes_at, closes_at=closes_at)


def staff_reply_template(*, conversation: Conversation) -> MessageTemplate | None:
    """The template a staff reply goes out as once the window has closed: the
    hotel's active `staff_reply` one, in the guest's language when there is one."""
    if conversation.channel in NO_WINDOW_CHANNELS:
        return None
    templates = list(MessageTemplate.objects.with_scope(tenant=conversation.tenant_id).filter(
        purpose=MessagePurpose.STAFF_REPLY, is_active=True).order_by("language", "pk"))
    language = conversation.language or conversation.tenant.language
    same = [template for template in templates if template.language.split("_")[0] == language]
    return (same or templates or [None])[0]


def canned_replies_for(*, conversation: Conversation) -> list[CannedReply]:
    """The hotel's canned replies, the guest's language first."""
    replies = list(CannedReply.objects.with_scope(tenant=conversation.tenant_id).all())
    language = conversation.language or conversation.tenant.language
    return sorted(replies, key=lambda reply: reply.language != language)


# --- The inbox ----------------------------------------------------------------

_NEVER = Value(datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC), output_field=DateTimeField())


def _latest(model, field: str, time_field: str):
    rows = (
        model.objects.with_scopes_disabled()  # correlated to a row the outer query has scoped
        .filter(conversation=OuterRef("pk"))
        .order_by(f"-{time_field}", "-id")
        .values(field)[:1]
    )
    return Subquery(rows)


def as_inbox(conversations: QuerySet) -> QuerySet:
    """Conversations as the inbox lists them, in the list's own query:
    `last_guest_at` / `last_guest_text`, `last_reply_at` / `last_reply_text`
    (agent's or staff's) and `unread`: the guest wrote after the hotel's last
    reply and after a member of staff last opened the conversation, so someone
    owes them an answer. Unread come first, then the most recent."""
    conversations = with_message_counts(conversations).annotate(
        last_guest_at=_latest(InboundMessage, "received_at", "received_at"),
        last_guest_text=_latest(InboundMessage, "text", "received_at"),
        last_reply_at=_latest(OutboundMessage, "created_at", "created_at"),
        last_reply_text=_latest(OutboundMessage, "text", "created_at"),
    )
    seen = Greatest(Coalesce("staff_read_at", _NEVER), Coalesce("last_reply_at", _NEVER))
    return conversations.annotate(
        unread=Case(When(Q(last_guest_at__gt=seen), then=Value(True)), default=Value(False),
                    output_field=BooleanField()),
    )


def reservations_by_guest(conversations) -> dict[tuple[int, str], list]:
    """The reservations made with each conversation's phone at its hotel, newest
    first, in one query for a whole page of conversations (of one or several hotels).
    Keyed by (hotel id, phone)."""
    phones = {(c.tenant_id, c.guest_phone) for c in conversations if c.guest_phone}
    if not phones:
        return {}
    # django-scopes takes a list for a dimension: the page's hotels, each the
    # caller's own (the conversations came from a scoped queryset).
    tenant_ids = sorted({tenant_id for tenant_id, _phone in phones})
    found: dict[tuple[int, str], list] = {}
    rows = reservations_for(tenant=tenant_ids).filter(guest_phone__in={phone for _t, phone in phones})
    for reservation in rows:
        key = (reservation.tenant_id, reservation.guest_phone)
        if key in phones:
            found.setdefault(key, []).append(reservation)
    return found
