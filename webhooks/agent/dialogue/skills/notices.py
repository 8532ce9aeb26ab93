"""The agent's booking notices — confirmed, changed, cancelled — marked with
their purpose and template values, so one that cannot go before the guest's
24-hour window closes (WhatsApp down for a day) goes later as the hotel's
template for it instead of failing (webhooks/sending.py)."""
from __future__ import annotations

from ....guest_messaging import template_values
from ....models import MessagePurpose
from ...reply import Reply
from ..turn import Turn


def confirmed(reply: Reply, turn: Turn, reservation) -> Reply:
    return _notice(reply, MessagePurpose.BOOKING_CONFIRMED, turn, reservation)


def changed(reply: Reply, turn: Turn, reservation) -> Reply:
    return _notice(reply, MessagePurpose.BOOKING_CHANGED, turn, reservation)


def cancelled(reply: Reply, turn: Turn, reservation) -> Reply:
    return _notice(reply, MessagePurpose.BOOKING_CANCELLED, turn, reservation)


def _notice(reply: Reply, purpose: str, turn: Turn, reservation) -> Reply:
    return reply.for_purpose(purpose, template_values(turn.tenant, reservation, turn.language))
