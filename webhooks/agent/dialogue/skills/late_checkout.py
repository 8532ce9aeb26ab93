"""Late check-out: the guest asks, staff decide. The request is stored where
staff see it (reservations' LateCheckoutRequest, in the admin), the guest hears
the hotel's policy and that the team will confirm. Added as one skill: this
module, one row in the routing table and its templates."""
from __future__ import annotations

import datetime
import re

from reservations.models import Reservation
from reservations.selectors import ACTIVE_STATUSES
from reservations.services.late_checkout import late_checkout_request_create

from ... import replies
from ...reply import Reply
from ...state import State
from ..turn import Turn
from .reservation_words import reservation_context

_TIME_RE = re.compile(r"\b(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|h|hrs|horas)?\b", re.IGNORECASE)


def requested_time(text: str) -> datetime.time | None:
    """"hasta las 14:00", "until 2pm", "a las 13h": the time asked for, if any."""
    for match in _TIME_RE.finditer(text):
        hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
        if suffix == "pm" and hour < 12:
            hour += 12
        if not (suffix or match.group(2)) or not (0 <= hour <= 23 and 0 <= minute <= 59):
            continue
        return datetime.time(hour, minute)
    return None


def handle(turn: Turn) -> list[Reply]:
    from .existing_reservation import handle as about_reservation

    turn.slots.pending_action = "late_checkout"
    return about_reservation(turn)


def request_for(turn: Turn, reservation: Reservation) -> list[Reply]:
    if reservation.status not in ACTIVE_STATUSES or reservation.check_out < turn.today:
        return turn.ask(State.IDLE, "late_checkout_not_possible", **reservation_context(turn, reservation))
    until = requested_time(turn.reading.text)
    late_checkout_request_create(reservation=reservation, requested_until=until, actor=turn.actor)
    tenant = turn.tenant
    latest = getattr(tenant, "late_checkout_until", None)
    fee = getattr(tenant, "late_checkout_fee", None)
    return turn.ask(
        State.IDLE, "late_checkout_requested", until=replies.clock(until, turn.language) if until else "",
        latest=replies.clock(latest, turn.language) if latest else "",
        fee=turn.money(fee) if fee else "", **reservation_context(turn, reservation),
    )
