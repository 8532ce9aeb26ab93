"""Where a conversation is and what it has gathered, as types instead of bare
strings and an untyped dict.

`Conversation.state` stores a `State` value and `Conversation.slots` the JSON of
`Slots`. Rows written by the earlier agent (ISO date strings, `cancel_code`,
`code_for`) load into the same fields, so no data migration is needed; unknown
states and malformed values load as a fresh conversation instead of failing the
guest's turn.
"""
from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from enum import StrEnum


class State(StrEnum):
    """What the agent asked last, so the next message can be read as its answer."""

    IDLE = "idle"
    AVAILABILITY_DATES = "availability_dates"  # asked for dates to show availability
    OFFERED = "offered"  # showed availability: "yes" or a room means book
    CONFIRM_DATES = "confirm_dates"  # the dates were impossible or backwards: offered readings
    ASK_DATES = "ask_dates"
    ASK_CHECK_OUT = "ask_check_out"
    ASK_GUESTS = "ask_guests"
    ASK_ROOM_TYPE = "ask_room_type"
    ASK_NAME = "ask_name"
    ASK_EMAIL = "ask_email"
    ASK_PHONE = "ask_phone"
    CONFIRM_BOOKING = "confirm_booking"
    BOOKED = "booked"
    ASK_CODE = "ask_code"
    ASK_BOOKING_EMAIL = "ask_booking_email"  # proving a reservation made elsewhere is theirs
    CONFIRM_CANCEL = "confirm_cancel"
    ASK_CHANGE_DATES = "ask_change_dates"  # moving an existing booking: to which dates?
    CONFIRM_CHANGE = "confirm_change"
    SURVEY_COMMENT = "survey_comment"  # rated the stay: the next message is its comment (guest_answers)

    @classmethod
    def load(cls, value: str | None) -> State:
        try:
            return cls(value or cls.IDLE)
        except ValueError:
            return cls.IDLE


def state_label(value: str) -> str:
    """What a stored state means, for staff reading a conversation."""
    from django.utils.translation import gettext as _

    labels = {
        State.IDLE: _("Nothing pending"),
        State.AVAILABILITY_DATES: _("Asked for dates to check availability"),
        State.OFFERED: _("Showed rooms, waiting for a choice"),
        State.CONFIRM_DATES: _("Asked to confirm unclear dates"),
        State.ASK_DATES: _("Booking: asked for the dates"),
        State.ASK_CHECK_OUT: _("Booking: asked for the check-out"),
        State.ASK_GUESTS: _("Booking: asked how many guests"),
        State.ASK_ROOM_TYPE: _("Booking: asked for the room type"),
        State.ASK_NAME: _("Booking: asked for the name"),
        State.ASK_EMAIL: _("Booking: asked for the email"),
        State.ASK_PHONE: _("Booking: asked for a phone"),
        State.CONFIRM_BOOKING: _("Booking: waiting for the guest's confirmation"),
        State.BOOKED: _("Booked"),
        State.ASK_CODE: _("Asked for a reservation code"),
        State.ASK_BOOKING_EMAIL: _("Asked for the booking's email"),
        State.CONFIRM_CANCEL: _("Waiting for the guest to confirm a cancellation"),
        State.ASK_CHANGE_DATES: _("Asked for the new dates of a booking"),
        State.CONFIRM_CHANGE: _("Waiting for the guest to confirm a change of dates"),
        State.SURVEY_COMMENT: _("Rated the stay: the next message is taken as its comment"),
    }
    return labels.get(State.load(value), str(value))


# The questions of the booking form: a message in one of them is first read as its answer.
COLLECTING = frozenset({
    State.ASK_DATES, State.ASK_CHECK_OUT, State.ASK_GUESTS, State.ASK_ROOM_TYPE, State.ASK_NAME,
    State.ASK_EMAIL, State.ASK_PHONE, State.CONFIRM_DATES,
})
BOOKING = COLLECTING | {State.CONFIRM_BOOKING}
# Answers that say nothing about the guest's language ("Ana García", an email).
DATA_STATES = frozenset({State.ASK_NAME, State.ASK_EMAIL, State.ASK_PHONE, State.ASK_BOOKING_EMAIL})

_DATE_FIELDS = ("check_in", "check_out", "change_check_in", "change_check_out")


@dataclass
class Slots:
    """The booking being assembled and what the conversation knows about the guest."""

    check_in: datetime.date | None = None
    check_out: datetime.date | None = None
    nights: int | None = None  # said before any date ("3 noches")
    guests: int | None = None
    infants: int = 0  # babies in a cot, counted in `guests` only where the hotel says so
    room_type: str | None = None
    guest_name: str = ""
    guest_email: str = ""
    guest_phone: str = ""  # typed by the guest; the channel's number is on the conversation
    suggested_email: str = ""  # "luis.pardo@hotmail" → "luis.pardo@hotmail.com?", awaiting "yes"
    doubted_email: str = ""  # "ana@gmail.con" as typed, kept if the guest says it is right
    reservation_code: str = ""  # the latest booking made in this conversation
    my_codes: list[str] = field(default_factory=list)  # booked here, or proven theirs
    subject_code: str = ""  # the existing reservation being talked about
    pending_action: str = ""  # what to do with it once it is found: status, cancel, late_checkout
    pending_booking: str = ""  # client reference of a booking waiting for the PMS
    pending_request: str = ""  # "move HA-… to a day later", kept while the email proves the booking
    more_rooms: int = 0  # "2 habitaciones": rooms still to book after this one, same dates
    staff_questions: int = 0  # questions asked mid-booking that staff will answer once it is over
    wishes: list[str] = field(default_factory=list)  # "con desayuno": in the booking's special requests
    party_left: int = 0  # guests of a split party not yet in a booked room, this one's included
    change_check_in: datetime.date | None = None  # the dates `subject_code` would move to, awaiting "yes"
    change_check_out: datetime.date | None = None
    offered: list[str] = field(default_factory=list)  # room codes in the last offer, in order
    named: str = ""  # the room answering "¿cuál es la más barata?": a "yes" or "esa" books it
    choices: list[str] = field(default_factory=list)  # values of the last numbered choices
    date_options: list[list[str]] = field(default_factory=list)  # readings offered for odd dates
    flow: str = ""  # "booking" once the guest wants to book, "availability" while only asking
    asked: str = ""  # the question asked last (its template), so a repeat is reworded
    repeats: int = 0  # how many times in a row that question was asked again
    misses: int = 0  # consecutive answers to the question that could not be read

    STAY = ("check_in", "check_out", "nights", "guests", "room_type")

    # --- JSON ---------------------------------------------------------------

    def to_json(self) -> dict:
        data = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value in (None, "", [], 0):
                continue
            data[f.name] = value.isoformat() if isinstance(value, datetime.date) else value
        return data

    @classmethod
    def from_json(cls, data: dict | None) -> Slots:
        data = dict(data) if isinstance(data, dict) else {}
        _migrate_old_keys(data)
        slots = cls()
        for f in dataclasses.fields(cls):
            if f.name in data:
                value = _loaded(f.name, data[f.name], getattr(slots, f.name))
                setattr(slots, f.name, value)
        return slots

    # --- helpers ------------------------------------------------------------

    def forget_stay(self) -> None:
        for name in self.STAY:
            setattr(self, name, None)

    def forget_dates(self) -> None:
        self.check_in = self.check_out = self.nights = None

    def book_rooms(self, rooms: int, party: int | None = None) -> int | None:
        """`rooms` rooms, booked one after another; a `party` given is shared
        between them (7 in 2: 4, then 3). The first room's guests, if shared."""
        self.more_rooms = rooms - 1
        if not party:
            return None
        self.party_left, self.guests = party, -(-party // rooms)
        return self.guests

    def remember_code(self, code: str) -> None:
        self.my_codes = [*[c for c in self.my_codes if c != code], code][-20:]

    @property
    def stay_nights(self) -> int | None:
        if self.check_in and self.check_out:
            return (self.check_out - self.check_in).days
        return None


def _migrate_old_keys(data: dict) -> None:
    """The first agent kept `cancel_code` (awaiting "yes") and `code_for` (asked for a code)."""
    if data.get("cancel_code") and not data.get("subject_code"):
        data["subject_code"], data["pending_action"] = data["cancel_code"], "cancel"
    if data.get("code_for") and not data.get("pending_action"):
        data["pending_action"] = data["code_for"]


def _loaded(name: str, value, default):
    """One stored value, or the field's default when it is not what the field holds."""
    if name in _DATE_FIELDS:
        try:
            return datetime.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None
    if isinstance(default, list):
        return list(value) if isinstance(value, list) else default
    if isinstance(default, str) or default is None and name == "room_type":
        return value if isinstance(value, str) else default
    if isinstance(value, bool) or not isinstance(value, int):
        return default
    return value
