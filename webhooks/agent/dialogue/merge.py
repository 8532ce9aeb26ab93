"""Putting what a message says into the booking: a correction changes only the
slots it names ("mejor del 14 al 16" keeps the party, the room and the name, and
stays in the month being discussed — the reading resolved it against that)."""
from __future__ import annotations

import contextlib
import datetime
import re

from django.core.exceptions import ValidationError

from security.validation import normalize_email, normalize_phone

from ..state import State
from ..understanding.dates import FULL_MONTHS, extract_stay
from ..understanding.intents import Intent
from ..understanding.text import fold
from .skills.problems import chosen_dates
from .turn import Turn

DAY = datetime.timedelta(days=1)
AWAITING_CHECK_OUT = (State.ASK_CHECK_OUT, State.AVAILABILITY_DATES)


def merge(turn: Turn) -> set[str]:
    """Apply the reading to the slots; the names of the slots that changed (also
    kept on the turn, so a summary can say what changed)."""
    before = turn.slots.to_json()
    _merge_stay(turn)
    _merge_party(turn)
    _merge_room(turn)
    _merge_contact(turn)
    _merge_wishes(turn)
    after = turn.slots.to_json()
    changed = {name for name in set(before) | set(after) if before.get(name) != after.get(name)}
    changed -= {"asked", "repeats", "misses", "choices", "offered", "flow", "date_options"}
    turn.changed |= changed
    return changed


def _merge_wishes(turn: Turn) -> None:
    """Added to, never replaced: "y con desayuno" after "llegaremos tarde" wants both."""
    new = [wish for wish in turn.reading.wishes if wish not in turn.slots.wishes]
    turn.slots.wishes = [*turn.slots.wishes, *new]
    turn.new_wishes = new


def _merge_stay(turn: Turn) -> None:
    slots, stay = turn.slots, turn.reading.stay
    picked = chosen_dates(turn)
    moved = None if picked else corrected_month(turn)
    if picked:
        _set_stay(turn, *picked)
    elif moved:
        # "oops, I meant February": the same days, in that month.
        nights = slots.stay_nights or slots.nights
        _set_stay(turn, moved, moved + DAY * nights if nights else None)
    elif stay.problem and not (stay.problem == "impossible" and stay.check_in):
        # Asked about by the dialogue: nothing guessed (a past year is refused by the
        # rules); but "a week in January" has said how long, whichever days it is.
        if stay.problem == "vague" and stay.nights and not stay.check_in:
            _merge_nights(turn)
        return
    elif stay.check_in and stay.check_out:
        _set_stay(turn, stay.check_in, stay.check_out)
    elif stay.check_in:
        _merge_one_date(turn)
    else:
        _merge_nights(turn)


def _merge_one_date(turn: Turn) -> None:
    slots, reading = turn.slots, turn.reading
    if turn.state in AWAITING_CHECK_OUT and slots.check_in and not slots.check_out:
        # "hasta el 14" answers "until when?": read from the check-in on.
        after = slots.check_in + DAY
        departure = extract_stay(reading.text, after, turn.language, anchor=slots.check_in).check_in
        if departure and departure > slots.check_in:
            slots.check_out = departure
            return
    nights = slots.nights or slots.stay_nights
    check_in = reading.stay.check_in
    _set_stay(turn, check_in, check_in + DAY * nights if nights else None)


def _merge_nights(turn: Turn) -> None:
    """"3 noches", or a bare "3" when we asked how long."""
    slots, reading = turn.slots, turn.reading
    nights = reading.stay.nights
    if not nights and turn.state == State.ASK_CHECK_OUT and reading.number and reading.number <= 60:
        nights = reading.number
    if not nights:
        return
    if slots.check_in:
        slots.check_out = slots.check_in + DAY * nights
    else:
        slots.nights = nights


# Month names a correction may give: the full names the date grammar knows, and "jan"/"feb"
# ("mar", "ago" or "sep" mean other things in a sentence without a date).
_MONTH_WORDS = {**FULL_MONTHS, "jan": 1, "feb": 2}
_MONTH_CORRECTION_RE = re.compile(
    r"\b(?:meant|mean|quise\s+decir|queria\s+decir|mejor|rather|actually|en\s+realidad|perdon|sorry|oops|no\s+es)\b"
)


def corrected_month(turn: Turn) -> datetime.date | None:
    """The check-in moved to the month a correction names, if the message is one."""
    if not turn.slots.check_in or turn.reading.stay.check_in:
        return None
    return _moved_to_month(turn.reading.text, turn.slots.check_in, turn.today)


def _moved_to_month(text: str, check_in: datetime.date, today: datetime.date) -> datetime.date | None:
    """A correction that names only a month: the first month named that is not the current one."""
    folded = fold(text)
    if re.search(r"\d", folded) or not _MONTH_CORRECTION_RE.search(folded):
        return None
    months = [_MONTH_WORDS[word] for word in re.findall(r"[a-z]+", folded) if word in _MONTH_WORDS]
    month = next((m for m in months if m != check_in.month), None)
    if month is None:
        return None
    for year in (today.year, today.year + 1):
        with contextlib.suppress(ValueError):
            moved = check_in.replace(year=year, month=month)
            if moved >= today:
                return moved
    return None


def _set_stay(turn: Turn, check_in: datetime.date, check_out: datetime.date | None) -> None:
    slots = turn.slots
    slots.check_in, slots.check_out = check_in, check_out
    slots.date_options = []  # answered: no longer the readings offered, nor the month to read days in
    if check_out:
        slots.nights = None


def _merge_party(turn: Turn) -> None:
    reading, slots = turn.reading, turn.slots
    if reading.infants:
        slots.infants = reading.infants
    if reading.guests:
        counted = reading.infants if turn.tenant.infants_count_as_guests else 0
        slots.guests = reading.guests + counted
    elif turn.state == State.ASK_GUESTS and reading.number and 0 < reading.number <= 20:
        slots.guests = reading.number
    if reading.rooms_wanted:
        _several_rooms(turn, reading.rooms_wanted, split=bool(reading.guests))


def _several_rooms(turn: Turn, rooms: int, *, split: bool) -> None:
    """One booking is one room: "2 habitaciones, somos 4" books the first for 2
    and then offers the next, same dates, rather than one room for four."""
    per_room = turn.slots.book_rooms(rooms, turn.slots.guests if split else None)
    turn.preface = [turn.say("one_room_at_a_time", per_room=per_room, more=rooms - 1)]


def names_a_room_we_lack(reading) -> bool:
    """"the family room" at a hotel without one: a kind of room, matching none of ours."""
    room = reading.room
    return room is not None and not getattr(room, "code", None) and not getattr(room, "candidates", ())


def _merge_room(turn: Turn) -> None:
    if getattr(turn.reading.room, "how", "") == "same" and turn.slots.asked == "which_is" \
            and turn.slots.named:
        turn.slots.room_type = turn.slots.named  # "vale esa" after "la más económica es la estándar"
        return
    code = getattr(turn.reading.room, "code", None)
    if code and turn.room(code):
        turn.slots.room_type = code
    elif names_a_room_we_lack(turn.reading):
        turn.unknown_room = True


def _merge_contact(turn: Turn) -> None:
    reading, slots = turn.reading, turn.slots
    if reading.name and not _names_something_else(turn):
        slots.guest_name = reading.name[:150]
    if reading.email:
        with contextlib.suppress(ValidationError):
            _merge_email(slots, normalize_email(reading.email), reading.email_suggestion)
    if reading.phone and (turn.state == State.ASK_PHONE or not turn.conversation.guest_phone):
        with contextlib.suppress(ValidationError):
            slots.guest_phone = normalize_phone(reading.phone, region=turn.tenant.country)


def _merge_email(slots, email: str, suggestion: str | None) -> None:
    """"ana@gmail.con" nearly spells a provider: asked about before it is taken,
    or the confirmation goes nowhere; typed the same way again, it is meant."""
    if suggestion and email != slots.doubted_email:
        slots.doubted_email, slots.suggested_email = email, suggestion
        return
    slots.guest_email, slots.doubted_email, slots.suggested_email = email, "", ""


_INTRODUCED_RE = re.compile(
    r"\b(?:me\s+llamo|mi\s+nombre|a\s+nombre|nombre|soy|my\s+name|name|this\s+is|i'?m|under)\b", re.IGNORECASE
)


_NOT_NAMES = frozenset({
    "eso", "esa", "ese", "esto", "este", "esta", "that", "this", "it", "yes", "no", "ok", "okay", "si",
    "vale", "nada", "none", "nope", "idk", "whatever", "cualquiera", "any", "ninguno", "nobody", "nadie",
    "hmm", "mmm", "ya", "lo que sea", "da igual", "no se", "not sure", "dont know", "no lo se",
})


def _names_something_else(turn: Turn) -> bool:
    """"sorry, there will be three of us" is a party size, not a name: a bare
    name is only taken from a message that carries nothing else."""
    reading = turn.reading
    if reading.name_introduced or _INTRODUCED_RE.search(reading.text):
        return False
    if fold(reading.text).strip(" .!?,") in _NOT_NAMES:
        return True
    telling = reading.intents - {Intent.THANKS, Intent.GREETING}  # "Ana García, gracias" is a name
    return bool(reading.guests or reading.stay or reading.room_code or telling or reading.choice)
