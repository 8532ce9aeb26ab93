"""When what the guest said cannot be used as it is: the service refused it
(field errors → one sentence and the question that fixes it), or the dates are
backwards, impossible or vague (→ a question with the concrete readings to tap,
never a silent guess)."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from reservations import rules

from ...reply import Choice, Reply
from ...state import State
from ..turn import Turn


def explain(turn: Turn, error: ValidationError, max_advance_days: int) -> list[Reply]:
    """A service's field errors as one sentence about the first problem. Field
    names and raw messages never reach the guest."""
    fields = set(getattr(error, "error_dict", {}) or {})
    for names, handler in _EXPLAINERS:
        if fields & names:
            return handler(turn, fields, max_advance_days)
    return turn.ask(State.IDLE, "error_generic")


def _email(turn: Turn, fields, _days) -> list[Reply]:
    email, turn.slots.guest_email = turn.slots.guest_email, ""
    return turn.ask(State.ASK_EMAIL, "error_email", email=email)


def _phone(turn: Turn, fields, _days) -> list[Reply]:
    turn.slots.guest_phone = ""
    return turn.ask(State.ASK_PHONE, "error_phone")


def _name(turn: Turn, fields, _days) -> list[Reply]:
    turn.slots.guest_name = ""
    return turn.ask(State.ASK_NAME, "error_name")


def _dates(turn: Turn, fields, max_advance_days) -> list[Reply]:
    slots = turn.slots
    check_in, check_out = slots.check_in, slots.check_out
    slots.forget_dates()
    if "check_in" in fields and check_in and check_in < turn.today:
        return turn.ask(State.ASK_DATES, "error_date_past")
    if "check_in" in fields:
        return turn.ask(State.ASK_DATES, "error_date_too_far", days=max_advance_days)
    if check_in and check_out and check_out <= check_in:
        return turn.ask(State.ASK_DATES, "error_dates_order")
    return turn.ask(State.ASK_DATES, "error_too_many_nights", max_nights=rules.MAX_NIGHTS)


def _guests(turn: Turn, fields, _days) -> list[Reply]:
    from .booking import continue_booking

    guests, turn.slots.guests = turn.slots.guests or 0, None
    if rules.MIN_GUESTS <= guests <= rules.MAX_GUESTS and turn.slots.room_type:
        turn.slots.guests = guests
        return continue_booking(turn)
    return turn.ask(State.ASK_GUESTS, "error_guests", min=rules.MIN_GUESTS, max=rules.MAX_GUESTS)


def _room(turn: Turn, fields, _days) -> list[Reply]:
    turn.slots.room_type = None
    return turn.ask(State.ASK_ROOM_TYPE, "error_room_type", offers=[])


_EXPLAINERS = (
    ({"guest_email"}, _email),
    ({"guest_phone"}, _phone),
    ({"guest_name"}, _name),
    ({"check_in", "check_out"}, _dates),
    ({"guests"}, _guests),
    ({"room_type"}, _room),
)


# --- dates that need a question -------------------------------------------------

def date_choices(turn: Turn, options) -> list[Choice]:
    choices = []
    for n, (check_in, check_out) in enumerate(options[:3]):
        title = turn.short_day(check_in) + (f" – {turn.short_day(check_out)}" if check_out else "")
        choices.append(Choice(f"date:{n}", title[:20]))
    return choices


def clarify_dates(turn: Turn) -> list[Reply]:
    """"del 19 al 16", "31 de abril", "sometime in spring": ask, with the readings
    that make sense as choices, and keep everything else the guest said."""
    stay = turn.reading.stay
    options = [
        (check_in, check_out) for check_in, check_out in stay.options
        if check_in and check_in >= turn.today and (check_out is None or check_out > check_in)
    ][:3]
    # "en enero" spans the month: said as a hint, never offered as a 31-night stay to tap.
    bookable = [(ci, co) for ci, co in options if not (co and (co - ci).days > MAX_OFFERED_SPAN)]
    # The tappable ones first (a choice is its index); a hint after them still
    # tells the turn reading the answer which month "del 10 al 24" is in.
    kept = bookable + [option for option in options if option not in bookable]
    turn.slots.date_options = [[ci.isoformat(), co.isoformat() if co else ""] for ci, co in kept]
    state = State.CONFIRM_DATES if bookable else State.ASK_DATES
    return turn.ask(state, f"dates_{stay.problem}", options=[
        {"check_in": turn.day(ci), "check_out": turn.day(co) if co else ""} for ci, co in options
    ], choices=date_choices(turn, bookable), nights=turn.slots.nights if not turn.slots.check_in else None)


MAX_OFFERED_SPAN = 14  # nights: a "puente" or a fortnight is a stay; a whole month is a hint


def chosen_dates(turn: Turn) -> tuple[datetime.date, datetime.date | None] | None:
    """The date option the guest tapped or numbered ("date:1"), if any."""
    choice = turn.reading.choice or ""
    if not choice.startswith("date:"):
        return None
    try:
        check_in, check_out = turn.slots.date_options[int(choice.removeprefix("date:"))]
    except (ValueError, IndexError):
        return None
    departure = datetime.date.fromisoformat(check_out) if check_out else None
    return datetime.date.fromisoformat(check_in), departure
