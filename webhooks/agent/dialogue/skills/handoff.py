"""A person takes over: the agent stays quiet until staff give the conversation back."""
from __future__ import annotations

from webhooks import metrics

from ...reply import Reply
from ...state import State
from ..turn import Turn


def hand_off(turn: Turn, *, reason: str = "asked") -> list[Reply]:
    """`reason`: "asked" (the guest wants a person), "stuck" (three answers we could
    not read), "no_email" (a booking the guest has no email for) or "unanswered"
    (a question the hotel's knowledge base does not answer)."""
    _to_staff(turn)
    turn.slots.misses = 0
    return turn.ask(State.IDLE, "handoff", reason=reason)


def questions_waiting(turn: Turn) -> list[Reply]:
    """Once a booking is over (made, or declined), the questions the guest asked
    during it go to staff: the conversation is theirs, whatever state it is in."""
    if not turn.slots.staff_questions:
        return []
    turn.slots.staff_questions = 0
    _to_staff(turn)
    return [turn.say("handoff", reason="questions_waiting")]


def _to_staff(turn: Turn) -> None:
    turn.conversation.needs_staff = True
    metrics.handoffs.labels(tenant=turn.tenant.slug).inc()
