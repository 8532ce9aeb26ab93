"""Telling a guest how a booking kept during a PMS outage ended.

reservations announces it with `pending_booking_resolved` (it cannot import us);
the conversation it came from is named in PendingBooking.notify. The reply is
written in the transaction that settled the booking, so the two commit together,
and is sent once that commits, like any other reply.
"""
import datetime
import logging

from django.db import transaction
from django.dispatch import receiver

from reservations.models import PendingBooking
from reservations.signals import pending_booking_resolved

from .agent import replies
from .models import Conversation, InboundMessage, OutboundMessage
from .tasks import enqueue, send_outbound_message

logger = logging.getLogger(__name__)


def _account_of(conversation: Conversation) -> str:
    if conversation.channel_account_id:
        return conversation.channel_account.external_id
    last = (
        InboundMessage.objects.with_scope(tenant=conversation.tenant)
        .filter(conversation=conversation).order_by("-received_at")
        .values_list("account_external_id", flat=True).first()
    )
    return last or ""


def _words(conversation: Conversation, pending: PendingBooking, reservation, reason: str) -> str:
    tenant = conversation.tenant
    language = conversation.language or tenant.language
    request = pending.request
    hotel = {"name": tenant.name, "support_phone": tenant.support_phone,
             "support_email": tenant.support_email}
    if reservation is not None:
        return replies.render(
            "booking_pending_confirmed", language, hotel=hotel, code=reservation.code,
            room=reservation.room_type.name, check_in=replies.long_date(reservation.check_in, language),
            check_out=replies.long_date(reservation.check_out, language),
            total=replies.money(reservation.total, reservation.currency, language),
        )
    return replies.render(
        "booking_pending_rejected", language, hotel=hotel, reason=reason,
        check_in=replies.long_date(datetime.date.fromisoformat(request["check_in"]), language),
        check_out=replies.long_date(datetime.date.fromisoformat(request["check_out"]), language),
    )


@receiver(pending_booking_resolved)
def tell_the_guest(sender, pending_booking: PendingBooking, reservation, reason: str, **kwargs) -> None:
    conversation_id = (pending_booking.notify or {}).get("conversation_id")
    if not conversation_id:
        return
    conversation = (
        Conversation.objects.with_scope(tenant=pending_booking.tenant)
        .select_for_update(of=("self",)).select_related("tenant", "channel_account")
        .filter(pk=conversation_id).first()
    )
    if conversation is None:
        logger.warning("pending booking %s: conversation %s is gone", pending_booking.pk, conversation_id)
        return
    slots = dict(conversation.slots or {})
    if slots.get("pending_booking") == pending_booking.client_reference:
        slots.pop("pending_booking")
    if reservation is not None:  # the guest may now ask about it by code, as if booked in the chat
        slots["my_codes"] = [*slots.get("my_codes", []), reservation.code][-20:]
    conversation.slots = slots
    conversation.save(update_fields=["slots"])
    outbound = OutboundMessage.objects.create(
        tenant=conversation.tenant, conversation=conversation, channel=conversation.channel,
        account_external_id=_account_of(conversation), recipient_id=conversation.guest_id,
        text=_words(conversation, pending_booking, reservation, reason),
    )
    transaction.on_commit(lambda: enqueue(send_outbound_message, outbound.pk))
