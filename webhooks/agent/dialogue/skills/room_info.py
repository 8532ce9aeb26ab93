"""Questions about the rooms ("¿cuánta gente entra en la deluxe?", "is there a
bathtub in the suite?"), answered from the room types' own data."""
from __future__ import annotations

import re
from types import SimpleNamespace

from reservations.room_facts import answer_room_question

from ...reply import Reply
from ..turn import Turn
from . import repair


def answer(turn: Turn) -> list[Reply]:
    question = turn.reading.room_question
    asked = SimpleNamespace(
        code=question.code, asks=question.asks, amenity=question.amenity,
        party=turn.reading.guests or _number_in(turn.reading.text), rooms=turn.rooms,
    )
    text = answer_room_question(asked, turn.rooms, turn.language)
    if question.code and question.code in turn.slots.offered:
        # The room just talked about is the one "esa misma" means next.
        turn.slots.offered = [code for code in turn.slots.offered if code != question.code] + [question.code]
    return [turn.say("room_answer", answer=text), *repair.pending_question(turn)]


def _number_in(text: str) -> int | None:
    """"caben 4 en la deluxe?": the party the question is about."""
    match = re.search(r"\b(\d{1,2})\b", text)
    return int(match.group(1)) if match and 0 < int(match.group(1)) <= 20 else None
