"""A stored reservation as the words and figures its templates show."""
from __future__ import annotations

from reservations.models import Reservation

from ... import replies
from ..turn import Turn


def reservation_context(turn: Turn, reservation: Reservation) -> dict:
    language = turn.language
    return {
        "code": reservation.code,
        "status": reservation.status,
        "cancelled": reservation.status == Reservation.Status.CANCELLED,
        "room": reservation.room_type.label(language),
        "check_in": turn.day(reservation.check_in),
        "check_out": turn.day(reservation.check_out),
        "nights": reservation.nights,
        "guests": reservation.guests,
        "guest_name": reservation.guest_name,
        "guest_email": reservation.guest_email,
        "total": replies.money(reservation.total, reservation.currency, language),
        "discount": replies.percent(reservation.discount_rate, language) if reservation.discount_rate else "",
    }
