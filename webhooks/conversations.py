"""What staff do to a conversation and its messages from the back office.

Each function changes one row in its own transaction, only when the row is in
the state the action is meant for (a second click changes nothing), audits who
did it, and hands the follow-up work to the workers once the change has
committed, so a worker never finds the row still unchanged.
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from security import audit
from security.validation import sanitize_text
from tenants.models import ChannelAccount

from .gateway import MAX_TEXT_LENGTH
from .models import Conversation, InboundMessage, MessagePurpose, OutboundMessage
from .outbound_media import media_for_link, media_for_upload
from .selectors import reply_window, staff_reply_template
from .tasks import enqueue, process_inbound_message, send_outbound_message


class ReplyRefused(Exception):
    """A staff reply that cannot be sent; nothing was stored. `message` is for staff."""

    code = "reply_refused"

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class EmptyReply(ReplyRefused):
    code = "empty"


class WindowClosed(ReplyRefused):
    code = "window_closed"


class AttachmentRefused(ReplyRefused):
    """The attachment cannot go: not WhatsApp, outside the window, or not a link Meta can fetch."""

    code = "attachment"


WINDOW_CLOSED = _(
    "This guest wrote more than 24 hours ago: outside WhatsApp's 24-hour window only approved "
    "template messages may be sent, and this hotel has no active staff reply template. Add the one "
    "approved at Meta under Message templates, call the guest, or answer once they write again."
)


def _audit(tenant, action: str, *, user, ip_address: str | None, resource: str, details=None) -> None:
    audit.record(
        audit.Type.DATA_MODIFICATION, tenant=tenant, action=action, actor=f"user:{user.pk}",
        ip_address=ip_address, resource=resource, details=details,
    )


def staff_reply_send(*, conversation: Conversation, user, text: str, ip_address: str | None = None,
                     attachment_url: str = "", attachment_file=None) -> OutboundMessage:
    """Answer the guest as `user`. The reply takes the same road as the agent's:
    stored `pending` first, then handed to the send task once committed (retried,
    its status on the thread). Writing to the guest takes the conversation over
    from the agent (needs_staff), so the agent does not talk across the staff
    member; "Give back to the agent" undoes that.

    Outside WhatsApp's window it goes as the hotel's staff reply template, the
    text as its parameter. Raises EmptyReply for a text with nothing left once
    cleaned, WindowClosed when WhatsApp would refuse it (window closed, no
    template), and nothing is stored then."""
    try:
        text = sanitize_text(text, max_length=MAX_TEXT_LENGTH)
    except ValidationError as error:
        raise ReplyRefused(error.messages[0]) from error
    if not text:
        raise EmptyReply(_("Write a reply first."))
    media = None
    if attachment_url or attachment_file:
        if conversation.channel != ChannelAccount.Channel.WHATSAPP:
            raise AttachmentRefused(_("Images and documents go to guests on WhatsApp only."))
        if not reply_window(conversation=conversation).is_open:
            raise AttachmentRefused(_("Outside WhatsApp's 24-hour window only the text can go, as the "
                                      "staff reply template: remove the attachment."))
        try:
            media = (media_for_upload(attachment_file, caption=text) if attachment_file
                     else media_for_link(attachment_url, caption=text))
        except ValidationError as error:
            raise AttachmentRefused(error.messages[0]) from error
    with transaction.atomic():
        conversation = (
            Conversation.objects.with_scope(tenant=conversation.tenant_id)
            .select_for_update(of=("self",)).select_related("tenant", "channel_account")
            .get(pk=conversation.pk)
        )
        whatsapp = conversation.channel == ChannelAccount.Channel.WHATSAPP
        window_open = reply_window(conversation=conversation).is_open
        if not window_open and staff_reply_template(conversation=conversation) is None:
            raise WindowClosed(WINDOW_CLOSED)
        reply = OutboundMessage.objects.create(
            tenant=conversation.tenant, conversation=conversation, channel=conversation.channel,
            account_external_id=_account_of(conversation), recipient_id=conversation.guest_id,
            text=text, sent_by=user, media=media,
            # Past the window (now, or by the time it is sent) it goes as the staff reply template.
            purpose=MessagePurpose.STAFF_REPLY if whatsapp else "",
            template_values={"hotel_name": conversation.tenant.name, "text": text} if whatsapp else {},
        )
        took_over = not conversation.needs_staff
        now = timezone.now()
        Conversation.objects.with_scope(tenant=conversation.tenant_id).filter(pk=conversation.pk).update(
            needs_staff=True, staff_read_at=now, last_activity_at=now,
        )
        _audit(conversation.tenant, "staff_reply_sent", user=user, ip_address=ip_address,
               resource=f"outbound:{reply.pk}",
               details={"conversation": conversation.pk, "took_over": took_over, "length": len(text),
                        "as_template": not window_open, "attachment": media["type"] if media else None})
        if reply.channel == ChannelAccount.Channel.WHATSAPP:
            transaction.on_commit(lambda: enqueue(send_outbound_message, reply.pk))
    return reply


def _account_of(conversation: Conversation) -> str:
    """The number the guest wrote to, as the agent's replies use it: the latest
    guest message's receiving account, else the conversation's channel."""
    latest = (
        InboundMessage.objects.with_scope(tenant=conversation.tenant_id)
        .filter(conversation=conversation).order_by("-received_at", "-id")
        .values_list("account_external_id", flat=True).first()
    )
    if latest:
        return latest
    account = conversation.channel_account
    return account.external_id if account else ""


def conversation_take_over(*, conversation: Conversation, user, ip_address: str | None = None) -> bool:
    """Stop the agent answering this guest: staff answer from the conversation's
    page until they give it back. True when this call took it over."""
    with transaction.atomic():
        taken = (
            Conversation.objects.with_scope(tenant=conversation.tenant_id)
            .filter(pk=conversation.pk, needs_staff=False)
            .update(needs_staff=True)
        )
        if taken:
            _audit(conversation.tenant, "conversation_taken_over", user=user, ip_address=ip_address,
                   resource=f"conversation:{conversation.pk}")
    conversation.needs_staff = True
    return bool(taken)


def conversation_mark_read(*, conversation: Conversation) -> None:
    """A member of staff opened the conversation: its guest messages so far are
    read for the inbox. Bookkeeping of the inbox, not a change to the
    conversation, so it is not audited."""
    Conversation.objects.with_scope(tenant=conversation.tenant_id).filter(pk=conversation.pk).update(
        staff_read_at=timezone.now()
    )


def conversation_release(*, conversation: Conversation, user, ip_address: str | None = None) -> bool:
    """Give a handed-over conversation back to the agent, which answers the guest's
    next message again. True when this call released it."""
    with transaction.atomic():
        released = (
            Conversation.objects.with_scope(tenant=conversation.tenant_id)
            .filter(pk=conversation.pk, needs_staff=True)
            .update(needs_staff=False)
        )
        if released:
            _audit(conversation.tenant, "conversation_released", user=user, ip_address=ip_address,
                   resource=f"conversation:{conversation.pk}")
    conversation.needs_staff = False
    return bool(released)


def inbound_reprocess(*, message: InboundMessage, user, ip_address: str | None = None) -> bool:
    """Queue a failed message for the agent again. The sweep retries failures by
    itself up to tasks.MAX_PROCESSING_ATTEMPTS; after that this is the way back.
    True when the message was failed and is now queued."""
    with transaction.atomic():
        failed = (
            InboundMessage.objects.with_scope(tenant=message.tenant_id)
            .select_for_update()
            .filter(pk=message.pk, status=InboundMessage.Status.FAILED)
            .exists()
        )
        if failed:
            _audit(message.tenant, "inbound_reprocessed", user=user, ip_address=ip_address,
                   resource=f"{message.channel}:{message.external_id}")
            transaction.on_commit(lambda: enqueue(process_inbound_message, message.pk))
    return failed


def outbound_retry(*, outbound: OutboundMessage, user, ip_address: str | None = None) -> bool:
    """Send a failed WhatsApp reply again, or an unknown one now rather than after
    its wait (staff who checked with the guest): back to pending and due, then to
    the send task. Meta refuses free-form replies more than 24 h after the
    guest's last message, so an old reply may fail once more.
    True when the reply was failed or unknown and is now queued."""
    with transaction.atomic():
        reset = (
            OutboundMessage.objects.with_scope(tenant=outbound.tenant_id)
            .filter(pk=outbound.pk, channel=ChannelAccount.Channel.WHATSAPP,
                    status__in=[OutboundMessage.Status.FAILED, OutboundMessage.Status.UNKNOWN])
            .update(status=OutboundMessage.Status.PENDING, status_at=None, next_attempt_at=timezone.now())
        )
        if reset:
            _audit(outbound.tenant, "outbound_retried", user=user, ip_address=ip_address,
                   resource=f"outbound:{outbound.pk}")
            transaction.on_commit(lambda: enqueue(send_outbound_message, outbound.pk))
    return bool(reset)


def hand_over_waiting_questions(
    *, quiet_for: datetime.timedelta, now: datetime.datetime | None = None,
) -> int:
    """Conversations where the guest asked something only staff can answer during a
    booking ("¿tenéis gimnasio?": "I'll ask the team once we're done") and then went
    quiet before the booking was made or called off: handed to staff, since the
    promise would otherwise be forgotten with the half-built booking. The number
    handed over. Each is one conditional UPDATE: a conversation the guest wrote in
    meanwhile (its last activity moved) is left to the agent."""
    from .agent.state import Slots
    from .metrics import handoffs

    cutoff = (now or timezone.now()) - quiet_for
    waiting = (Conversation.objects.with_scopes_disabled()
               .filter(needs_staff=False, last_activity_at__lt=cutoff, slots__staff_questions__gt=0)
               .select_related("tenant").order_by("last_activity_at")[:500])
    handed = 0
    for conversation in waiting:
        slots = Slots.from_json(conversation.slots)
        questions, slots.staff_questions = slots.staff_questions, 0
        with transaction.atomic():
            changed = (Conversation.objects.with_scopes_disabled()
                       .filter(pk=conversation.pk, needs_staff=False,
                               last_activity_at=conversation.last_activity_at)
                       .update(needs_staff=True, slots=slots.to_json()))
            if changed:
                audit.record(audit.Type.DATA_MODIFICATION, action="conversation_handed_to_staff",
                             actor="agent", tenant=conversation.tenant,
                             resource=f"conversation:{conversation.pk}",
                             details={"reason": "questions_waiting", "questions": questions})
        if changed:
            handed += 1
            handoffs.labels(tenant=conversation.tenant.slug).inc()
    return handed
