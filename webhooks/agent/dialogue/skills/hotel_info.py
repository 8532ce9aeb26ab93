"""Questions about the hotel, answered from its knowledge base (FAQ entries
staff edit, and the structured profile); a question nothing answers goes to
staff rather than to a generic menu."""
from __future__ import annotations

from ...reply import Reply
from ..turn import Turn
from . import repair


def answer_faq(turn: Turn) -> list[Reply]:
    answers = _answers(turn, turn.reading.faqs or (turn.reading.faq,), limit=3)
    return [*answers, *repair.pending_question(turn)]


def answer_profile(turn: Turn) -> list[Reply]:
    """Address, times and contacts from the hotel's profile."""
    return [turn.say("hotel_info"), *repair.pending_question(turn)]


def unanswered(turn: Turn) -> list[Reply]:
    from .handoff import hand_off

    return hand_off(turn, reason="unanswered")


def side_answers(turn: Turn) -> list[Reply]:
    """Knowledge-base answers for questions asked alongside something else."""
    return _answers(turn, turn.reading.faqs, limit=2)


def _answers(turn: Turn, matches, *, limit: int) -> list[Reply]:
    return [turn.say("faq_answer", answer=match.entry.answer) for match in matches[:limit]]
