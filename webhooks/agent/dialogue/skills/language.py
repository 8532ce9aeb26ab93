""""can we do this in english?": switch, say so, and carry on where we were."""
from __future__ import annotations

from dataclasses import replace

from ...reply import Reply
from ...understanding.intents import Intent
from ...understanding.reading import Reading
from ..turn import Turn
from . import repair

LANGUAGE_REQUESTS = frozenset({Intent.SPEAK_ENGLISH, Intent.SPEAK_SPANISH})


def switch(turn: Turn) -> list[Reply]:
    """Only the switch: the message asked for nothing else."""
    choose(turn)
    pending = repair.pending_question(turn)
    return [turn.say("language_switched", pending=bool(pending)), *pending]


def choose(turn: Turn) -> None:
    turn.conversation.language = "en" if turn.reading.has(Intent.SPEAK_ENGLISH) else "es"


def rest_of_message(reading: Reading) -> Reading | None:
    """"and in english? price for 2 ppl 20-23 dec" asks for a language *and* a
    price: the reading without the language request, when anything is left, so
    the question is answered (in the new language) rather than dropped."""
    # "hello, do you speak english?": the greeting is answered by the switch itself.
    rest = replace(reading, intents=reading.intents - LANGUAGE_REQUESTS - {Intent.GREETING})
    return rest if rest.says_something else None
