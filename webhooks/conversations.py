"""What staff do to a conversation and its messages from the back office.

Each function changes one row in its own transaction, only when the row is in
the state the action is meant for (a second click changes nothing), audits who
did it, and hands the follow-up work to the workers once the change has
committed, so a worker never finds the row still unchanged.
"""
from django.db import transaction
from django.utils import timezone

from security import audit
from tenants.models import ChannelAccount

from .models import Conversation, InboundMessage, OutboundMessage
from .tasks import enqueue, process_inbound_message, send_outbound_message


def _audit(tenant, action: str, *, user, ip_address: str | None, resource: str) -> None:
    audit.record(
        audit.Type.DATA_MODIFICATION, tenant=tenant, action=action, actor=f"user:{user.pk}",
        ip_address=ip_address, resource=resource,
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
