"""Reservations made before, here or elsewhere (API, admin, web): their status,
cancelling them, asking for a late check-out. Who may see which reservation is
`reservations.selectors.guest_may_access`: the channel's phone or the email on
the booking prove it; a code alone does not, and an unknown code and someone
else's look exactly alike."""
from __future__ import annotations

from reservations.errors import PMSUnavailable
from reservations.models import Reservation
from reservations.selectors import ACTIVE_STATUSES, guest_reservation, guest_upcoming_reservations
from reservations.services import NotChangeable, reservation_cancel

from ...reply import Choice, Reply
from ...state import BOOKING, State
from ...understanding.intents import Intent
from ...understanding.reading import read
from ...understanding.room_choice import by_position
from ..turn import Turn
from . import notices
from .reservation_words import reservation_context

ACTIONS = ("status", "cancel", "late_checkout", "change")


def wanted_action(turn: Turn) -> str:
    reading = turn.reading
    if reading.has(Intent.LATE_CHECKOUT):
        return "late_checkout"
    if reading.has(Intent.CHANGE):
        return "change"
    if reading.has(Intent.CANCEL) and not reading.has(Intent.DECLINE):
        return "cancel"
    if reading.has(Intent.STATUS):
        return "status"
    return turn.slots.pending_action or "status"


def tapped_code(turn: Turn) -> str:
    choice = turn.reading.choice or ""
    return choice.removeprefix("code:") if choice.startswith("code:") else ""


def handle(turn: Turn) -> list[Reply]:
    """Status, cancel or late check-out, for the reservation the message names,
    the one just booked, or the one booked with this phone."""
    reading = turn.reading
    action = wanted_action(turn)
    if action == "cancel" and turn.state in BOOKING and not reading.code:
        from .booking import declined

        return declined(turn)
    code = reading.code or tapped_code(turn) or _just_booked(turn)
    if code:
        return for_code(turn, code, action)
    return for_this_phone(turn, action)


def _just_booked(turn: Turn) -> str:
    """Right after booking, "cancel it" means that booking; after booking several
    rooms, "cancela la primera" means the first of them, and with no such word
    the guest is asked which (for_this_phone lists them)."""
    slots = turn.slots
    if turn.state != State.BOOKED:
        return ""
    if len(slots.my_codes) < 2:
        return slots.reservation_code
    return by_position(turn.reading.text, slots.my_codes) or ""


def for_this_phone(turn: Turn, action: str) -> list[Reply]:
    """No code given: the stays booked with the number the channel vouches for."""
    slots = turn.slots
    found = guest_upcoming_reservations(
        tenant=turn.tenant, phone=turn.conversation.guest_phone, today=turn.today
    )
    known = [code for code in reversed(slots.my_codes) if code not in {r.code for r in found}]
    for code in known[:3]:
        reservation = guest_reservation(tenant=turn.tenant, code=code, known_codes=slots.my_codes)
        if reservation and reservation.status in ACTIVE_STATUSES:
            found.append(reservation)
    if len(found) == 1:
        return act(turn, found[0], action)
    slots.pending_action = action
    if found:
        choices = [
            Choice(f"code:{r.code}", r.code,
                   f"{turn.short_day(r.check_in)} · {r.room_type.label(turn.language)}")
            for r in found[:10]
        ]
        return turn.ask(State.ASK_CODE, "which_reservation", choices=choices, purpose=action)
    return turn.ask(State.ASK_CODE, "ask_code", purpose=action)


def for_code(turn: Turn, code: str, action: str) -> list[Reply]:
    slots = turn.slots
    reservation = guest_reservation(tenant=turn.tenant, code=code, phone=turn.conversation.guest_phone,
                                    known_codes=slots.my_codes)
    if reservation is None:
        # Someone else's code, or none at all: the same question either way.
        slots.subject_code, slots.pending_action = code, action
        slots.pending_request = turn.reading.text[:300] if action == "change" else ""
        return turn.ask(State.ASK_BOOKING_EMAIL, "ask_booking_email", code=code)
    return act(turn, reservation, action)


def verify_email(turn: Turn) -> list[Reply]:
    """The email the reservation was made with proves it is theirs."""
    slots = turn.slots
    email = turn.reading.email
    code, action = slots.subject_code, slots.pending_action or "status"
    slots.subject_code = slots.pending_action = ""
    reservation = guest_reservation(tenant=turn.tenant, code=code, email=email)
    if reservation is None:
        slots.pending_request = ""
        return turn.ask(State.IDLE, "not_found", code=code, checked_email=True)
    slots.remember_code(reservation.code)
    if slots.pending_request:
        # The new dates were in the message that named the booking, not in the email.
        turn.reading = read(slots.pending_request, turn.reading_context())
        slots.pending_request = ""
    return act(turn, reservation, action)


def act(turn: Turn, reservation: Reservation, action: str) -> list[Reply]:
    turn.slots.pending_action = ""
    if action == "cancel":
        return ask_cancel_confirmation(turn, reservation)
    if action == "late_checkout":
        from .late_checkout import request_for

        return request_for(turn, reservation)
    if action == "change":
        from .change_stay import propose

        return propose(turn, reservation)
    turn.slots.subject_code = reservation.code
    return turn.ask(State.IDLE, "status", **reservation_context(turn, reservation))


def ask_cancel_confirmation(turn: Turn, reservation: Reservation) -> list[Reply]:
    if reservation.status == Reservation.Status.CANCELLED:
        return turn.ask(State.IDLE, "cancelled", already=True, **reservation_context(turn, reservation))
    turn.slots.subject_code = reservation.code
    yes, no = ("Sí, cancelar", "No, mantener") if turn.language == "es" else ("Yes, cancel it", "No, keep it")
    return turn.ask(State.CONFIRM_CANCEL, "cancel_confirm", choices=[Choice("yes", yes), Choice("no", no)],
                    **reservation_context(turn, reservation))


def cancel_confirmed(turn: Turn) -> list[Reply]:
    slots = turn.slots
    code, slots.subject_code = slots.subject_code, ""
    reservation = guest_reservation(tenant=turn.tenant, code=code, phone=turn.conversation.guest_phone,
                                    known_codes=slots.my_codes) if code else None
    if reservation is None:
        return turn.ask(State.IDLE, "not_found", code=code)
    try:
        reservation = reservation_cancel(tenant=turn.tenant, code=code, source=turn.conversation.channel,
                                         actor=turn.actor)
    except PMSUnavailable:
        return turn.ask(State.IDLE, "pms_unavailable", cancelling=code)
    except NotChangeable:  # checked in meanwhile, or over: the front desk handles it
        return turn.ask(State.IDLE, "change_not_possible", **reservation_context(turn, reservation))
    if slots.reservation_code == code:
        slots.reservation_code = ""
    [notice, *rest] = turn.ask(State.IDLE, "cancelled", **reservation_context(turn, reservation))
    return [notices.cancelled(notice, turn, reservation), *rest]


def cancel_kept(turn: Turn) -> list[Reply]:
    code, turn.slots.subject_code = turn.slots.subject_code, ""
    return turn.ask(State.IDLE, "cancel_kept", code=code)
