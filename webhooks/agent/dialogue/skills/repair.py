"""Keeping a conversation from looping. A question asked again is reworded; an
answer we cannot read twice gets an example, then choices to tap or the
hotel's contact, and the third miss goes to staff. No guest sees the same
question three times in a row."""
from __future__ import annotations

from webhooks import metrics

from ...reply import Reply
from ...state import BOOKING, State
from ...understanding.contact import mistyped_code
from ..turn import Turn

MISSES_BEFORE_STAFF = 3
_SIMPLE_QUESTIONS = {
    State.ASK_CODE: "ask_code",
    State.ASK_BOOKING_EMAIL: "ask_booking_email",
    State.AVAILABILITY_DATES: "ask_dates",
    State.CONFIRM_DATES: "ask_dates",
    State.CONFIRM_CANCEL: "confirm_yes_no",
}


def reask(turn: Turn) -> list[Reply]:
    """The question of the state we are in, asked again; empty when there is none."""
    from .booking import continue_booking

    state = turn.state
    if state in BOOKING and state != State.CONFIRM_DATES:
        return continue_booking(turn)
    if state == State.OFFERED and turn.reminder and turn.slots.offered:
        # The rooms were just listed: their names, not the list again.
        offered = [turn.room_label(code) for code in turn.slots.offered if turn.room(code)]
        return [turn.say("offer_reminder", offered=offered, **turn.stay_context())] if offered else []
    if state in _SIMPLE_QUESTIONS:
        state = State.ASK_DATES if state == State.CONFIRM_DATES else state
        typo = mistyped_code(turn.reading.text) if turn.reading is not None else None
        return turn.ask(state, _SIMPLE_QUESTIONS[turn.state], code=turn.slots.subject_code,
                        purpose=turn.slots.pending_action, typo=typo)
    return []


def pending_question(turn: Turn) -> list[Reply]:
    """After answering something else, the question still open, as a reminder."""
    turn.reminder = True
    try:
        return reask(turn)
    finally:
        turn.reminder = False


def missed(turn: Turn) -> list[Reply]:
    """The message answers nothing we asked and is nothing else we understand."""
    from .handoff import hand_off

    metrics.agent_fallbacks.labels(tenant=turn.tenant.slug, language=turn.language).inc()
    slots = turn.slots
    slots.misses += 1
    if slots.misses >= MISSES_BEFORE_STAFF:
        return hand_off(turn, reason="stuck")
    turn.retry = slots.misses
    try:
        return reask(turn)
    finally:
        turn.retry = None
