"""Moving a booking that exists ("can we move it to the 17th?", "pasarla al 20").

The guest's reservation is found like any other (existing_reservation: the phone,
the email, or a booking made here); this skill works out the new dates from
what they wrote, asks once with the dates spelled out, and on "yes" calls
reservations.services.reservation_change — the same locks, rules and prices as a
new booking, so a move can never overbook and the price is the one the hotel
would quote today. A day alone ("the 17th") is read in the month of the stay,
and the stay keeps its length unless the guest says otherwise.
"""
from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError

from reservations.errors import Busy, PMSUnavailable, ReservationError, Unavailable
from reservations.models import Reservation
from reservations.selectors import guest_reservation
from reservations.services import reservation_change

from ...reply import Choice, Reply
from ...state import State
from ...understanding.text import normalize
from ..turn import Turn
from . import notices
from .reservation_words import reservation_context

CHANGEABLE = frozenset({Reservation.Status.CONFIRMED})
# "moverla al 20", "pasarla para el 20", "move it to the 20th": a bare day the date
# grammar leaves alone, because on its own "al 20" is no date.
BARE_DAY = re.compile(
    r"\b(?:al|para\s+el|el\s+dia|al\s+dia|to\s+the|to|for\s+the|on\s+the)\s+(\d{1,2})(?:st|nd|rd|th|º)?\b(?!\s*(?:de|of|/|-|\.))",
    re.IGNORECASE,
)


# "un día más tarde", "two days earlier", "push it back a week": the same stay, moved.
# Over normalized text, where "two"/"dos" are already digits.
_SHIFT = re.compile(
    r"\b(\d{1,2}|un|una|a|an)\s+(dias?|days?|semanas?|weeks?)\s+"
    r"(mas\s+tarde|despues|later|after|antes|earlier|before)\b"
    r"|\b(?:push|move)\s+(?:it|them|the\s+(?:booking|reservation|stay))\s+back\s+(?:by\s+)?"
    r"(\d{1,2}|a|an)\s+(days?|weeks?)\b"
)


def _shift(text: str) -> int | None:
    """Days the guest moves the stay by (earlier is negative), or None."""
    match = _SHIFT.search(normalize(text))
    if not match:
        return None
    amount, unit, way = (match.group(1), match.group(2), match.group(3)) if match.group(1) else (
        match.group(4), match.group(5), "later")
    days = (int(amount) if amount.isdigit() else 1) * (7 if unit[0] in "sw" else 1)
    return -days if way in ("antes", "earlier", "before") else days


def _in_the_stays_month(day: datetime.date, reservation: Reservation, today: datetime.date) -> datetime.date:
    """"The 17th" said about a stay in March means the 17th of March, if it has not passed."""
    try:
        anchored = reservation.check_in.replace(day=day.day)
    except ValueError:
        return day
    return anchored if anchored >= today else day


def _bare_day(text: str, reservation: Reservation, today: datetime.date) -> datetime.date | None:
    """The day of "moverla al 20", in the stay's month or, once passed, the next one."""
    match = BARE_DAY.search(text)
    if not match:
        return None
    day, month = int(match.group(1)), reservation.check_in.replace(day=1)
    for _step in range(2):
        try:
            candidate = month.replace(day=day)
        except ValueError:
            return None
        if candidate >= today:
            return candidate
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return None


def new_dates(turn: Turn, reservation: Reservation) -> tuple[datetime.date, datetime.date] | None:
    days = _shift(turn.reading.text)  # before the dates: "2 days" alone would be a date or nights
    if days:
        moved = datetime.timedelta(days=days)
        return reservation.check_in + moved, reservation.check_out + moved
    stay = turn.reading.stay
    if not stay and not stay.problem:
        day = _bare_day(turn.reading.text, reservation, turn.today)
        if day:
            return day, day + datetime.timedelta(days=reservation.nights)
    if stay.problem or not stay:
        return None
    check_in = stay.check_in
    if check_in and stay.day_only:
        check_in = _in_the_stays_month(check_in, reservation, turn.today)
    both = stay.check_in and stay.check_out
    nights = (stay.check_out - stay.check_in).days if both else stay.nights
    if check_in is None:
        if stay.check_out:  # "leave on the 20th instead": same arrival, new departure
            return (reservation.check_in, stay.check_out) if stay.check_out > reservation.check_in else None
        check_in = reservation.check_in  # "make it 4 nights"
    nights = nights or reservation.nights
    return check_in, check_in + datetime.timedelta(days=nights)


def gives_new_dates(turn: Turn) -> bool:
    """An answer to "which dates?": dates, or a bare day ("al 20")."""
    reading = turn.reading
    return not reading.code and bool(reading.stay or BARE_DAY.search(reading.text) or _shift(reading.text))


def propose(turn: Turn, reservation: Reservation) -> list[Reply]:
    slots = turn.slots
    context = reservation_context(turn, reservation)
    if reservation.status == Reservation.Status.CANCELLED:
        return turn.ask(State.IDLE, "cancelled", already=True, **context)
    if reservation.status not in CHANGEABLE:
        return turn.ask(State.IDLE, "change_not_possible", **context)
    slots.subject_code = reservation.code
    dates = new_dates(turn, reservation)
    if dates is None:
        return turn.ask(State.ASK_CHANGE_DATES, "ask_change_dates", **context)
    slots.change_check_in, slots.change_check_out = dates
    yes, no = ("Sí, cambiarla", "No, dejarla") if turn.language == "es" else ("Yes, move it", "No, keep it")
    return turn.ask(
        State.CONFIRM_CHANGE, "change_confirm", choices=[Choice("yes", yes), Choice("no", no)],
        new_check_in=turn.day(dates[0]), new_check_out=turn.day(dates[1]),
        new_nights=(dates[1] - dates[0]).days, **context,
    )


def dates_given(turn: Turn) -> list[Reply]:
    """The answer to "which dates?"."""
    reservation = _subject(turn)
    if reservation is None:
        return turn.ask(State.IDLE, "not_found", code=turn.slots.subject_code)
    return propose(turn, reservation)


def _subject(turn: Turn) -> Reservation | None:
    code = turn.slots.subject_code
    if not code:
        return None
    return guest_reservation(tenant=turn.tenant, code=code, phone=turn.conversation.guest_phone,
                             known_codes=turn.slots.my_codes)


def _forget(turn: Turn) -> None:
    turn.slots.subject_code = ""
    turn.slots.change_check_in = turn.slots.change_check_out = None


def confirmed(turn: Turn) -> list[Reply]:
    slots = turn.slots
    reservation, check_in, check_out = _subject(turn), slots.change_check_in, slots.change_check_out
    code = slots.subject_code
    _forget(turn)
    if reservation is None or not (check_in and check_out):
        return turn.ask(State.IDLE, "not_found", code=code)
    wanted = {"new_check_in": turn.day(check_in), "new_check_out": turn.day(check_out)}
    try:
        changed = reservation_change(tenant=turn.tenant, code=code, source=turn.conversation.channel,
                                     actor=turn.actor, check_in=check_in, check_out=check_out)
    except ValidationError as error:
        problems = [str(message) for messages in error.message_dict.values() for message in messages]
        return turn.ask(State.IDLE, "change_refused", problems=problems, code=code, **wanted)
    except (Unavailable, Busy):
        return turn.ask(State.IDLE, "change_unavailable", code=code, **wanted)
    except PMSUnavailable:
        return turn.ask(State.IDLE, "pms_unavailable", changing=code)
    except ReservationError:
        return turn.ask(State.IDLE, "change_not_possible", **reservation_context(turn, reservation))
    [notice, *rest] = turn.ask(State.IDLE, "changed", **reservation_context(turn, changed))
    return [notices.changed(notice, turn, changed), *rest]


def kept(turn: Turn) -> list[Reply]:
    code = turn.slots.subject_code
    _forget(turn)
    return turn.ask(State.IDLE, "change_kept", code=code)
