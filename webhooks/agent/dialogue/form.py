"""The booking form, declared: each slot, the state that asks for it and the
template that asks. `next_missing` is the whole of "what do we ask next"."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..state import State
from .turn import Turn


@dataclass(frozen=True)
class Slot:
    name: str
    state: State
    ask: str
    filled: Callable[[Turn], bool]


FORM: tuple[Slot, ...] = (
    Slot("check_in", State.ASK_DATES, "ask_dates", lambda turn: turn.slots.check_in is not None),
    Slot("check_out", State.ASK_CHECK_OUT, "ask_check_out", lambda turn: turn.slots.check_out is not None),
    Slot("guests", State.ASK_GUESTS, "ask_guests", lambda turn: bool(turn.slots.guests)),
    Slot("room_type", State.ASK_ROOM_TYPE, "ask_room_type", lambda turn: bool(turn.slots.room_type)),
    Slot("guest_name", State.ASK_NAME, "ask_name", lambda turn: bool(turn.slots.guest_name)),
    Slot("guest_email", State.ASK_EMAIL, "ask_email", lambda turn: bool(turn.slots.guest_email)),
    Slot("guest_phone", State.ASK_PHONE, "ask_phone", lambda turn: bool(turn.guest_phone())),
)
SLOT_FOR_STATE = {slot.state: slot for slot in FORM}


def next_missing(turn: Turn) -> Slot | None:
    return next((slot for slot in FORM if not slot.filled(turn)), None)


def missing_before_room(turn: Turn) -> Slot | None:
    """Dates and party come before rooms can be offered."""
    slot = next_missing(turn)
    return slot if slot and slot.name in ("check_in", "check_out", "guests") else None
