""""can we do this in english?": switch, say so, and carry on where we were."""
from __future__ import annotations

from ...reply import Reply
from ...understanding.intents import Intent
from ..turn import Turn
from . import repair


def switch(turn: Turn) -> list[Reply]:
    turn.conversation.language = "en" if turn.reading.has(Intent.SPEAK_ENGLISH) else "es"
    pending = repair.pending_question(turn)
    return [turn.say("language_switched", pending=bool(pending)), *pending]
