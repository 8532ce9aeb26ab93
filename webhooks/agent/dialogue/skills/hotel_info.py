"""Questions about the hotel, answered from its knowledge base (FAQ entries
staff edit, and the structured profile); a question nothing answers goes to
staff rather than to a generic menu."""
from __future__ import annotations

import re

from ...reply import Reply
from ...understanding.text import fold
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


_WORD_RE = re.compile(r"[a-z]{2,}")
# "¿para qué quieres mi email?" is about the booking's own question, which repair words better.
_ABOUT_THE_FORM_RE = re.compile(
    r"\b(?:e-?mail|correo|mail|telefono|movil|phone|number|numero|nombre|name|apellidos?|datos|details)\b"
)


def asks_what_we_cannot_answer(turn: Turn) -> bool:
    """A question of a few words that is no answer, no request we know and not in
    the hotel's answers: "¿tenéis gimnasio?" while we wait for a name."""
    reading = turn.reading
    folded = fold(reading.text)
    return (reading.is_question and not reading.intents and reading.faq is None
            and len(_WORD_RE.findall(folded)) >= 2 and not _ABOUT_THE_FORM_RE.search(folded))


def question_for_later(turn: Turn) -> list[Reply]:
    """Mid-booking, a question only staff can answer waits for the booking to end
    (handing the conversation over now would leave the booking half made); the
    booking's question follows, and this is not a failed answer to it."""
    turn.slots.staff_questions += 1
    return [turn.say("question_for_later"), *repair.pending_question(turn)]


def side_answers(turn: Turn) -> list[Reply]:
    """Knowledge-base answers for questions asked alongside something else."""
    return _answers(turn, turn.reading.faqs, limit=2)


def _answers(turn: Turn, matches, *, limit: int) -> list[Reply]:
    return [turn.say("faq_answer", answer=match.entry.answer) for match in matches[:limit]]
