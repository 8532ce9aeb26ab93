"""Reading conversations the way staff look at them."""
import datetime
import json
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy

from .models import Conversation, InboundMessage, OutboundMessage

THREAD_LIMIT = 500  # messages of each side; a conversation ends after a day of silence anyway
_DONE = {"processed", "sent", "delivered", "read"}
_FAILED = {"failed", "unknown"}
# Why a reply is not (yet) with the guest, as staff should read it (webhooks/sending.py).
_REASONS = {
    "customer_service_window_closed": gettext_lazy(
        "Not sent: the guest's 24-hour WhatsApp window closed first, and free text is refused after it. "
        "Call the guest, or retry once they write again."),
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
    ).order_by("-received_at", "-id")[:THREAD_LIMIT]
    outbound = OutboundMessage.objects.with_scope(tenant=conversation.tenant_id).filter(
        conversation=conversation
    ).order_by("-created_at", "-id")[:THREAD_LIMIT]
    entries = [ThreadEntry("guest", message.received_at, message) for message in inbound]
    entries += [ThreadEntry("hotel", reply.created_at, reply) for reply in outbound]
    entries.sort(key=lambda entry: (entry.at, entry.side == "hotel", entry.message.pk))
    return entries[-THREAD_LIMIT:]
