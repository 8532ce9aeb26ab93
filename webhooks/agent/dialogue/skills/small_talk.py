"""Greetings, thanks, "what can you do?", a bare yes or no, and the rest."""
from __future__ import annotations

import re

from ...reply import Reply
from ...state import COLLECTING, State
from ...understanding.intents import GREETING_WORDS, Intent
from ...understanding.text import fold
from ..turn import Turn
from . import repair


def reply(turn: Turn) -> list[Reply]:
    reading, state = turn.reading, turn.state
    if reading.has(Intent.THANKS):
        return [turn.say("thanks")]
    if reading.has(Intent.HELP) and state in COLLECTING and not reading.text.strip("?¿ "):
        return repair.missed(turn)  # a bare "?" to our question: it needs saying differently
    if reading.has(Intent.HELP):
        return [turn.say("help"), *repair.pending_question(turn)]
    if reading.has(Intent.GREETING) and not _asks_past_the_greeting(reading):
        return [turn.say("greeting"), *repair.pending_question(turn)]
    if state in COLLECTING or state in (State.ASK_CODE, State.ASK_BOOKING_EMAIL, State.CONFIRM_CANCEL):
        return repair.missed(turn)
    if reading.has(Intent.CONFIRM, Intent.DECLINE):
        if state in (State.OFFERED, State.AVAILABILITY_DATES):
            turn.state = State.IDLE
        return [turn.say("anything_else")]
    if reading.is_question:
        from .hotel_info import unanswered

        return unanswered(turn)
    return _fallback(turn)


_GREETING_RE = re.compile(
    rf"^\W*(?:(?:{GREETING_WORDS}|how\s+are\s+you|how\s+r\s+u|como\s+estas?|como\s+va|what'?s\s+up"
    r"|how'?s\s+it\s+going)\b\W*)+"
)


# "hola, ¿me puedes ayudar?", "hi, are you a bot?": about us, which the greeting answers.
_ABOUT_THE_AGENT_RE = re.compile(
    r"\b(?:ayud\w*|help\w*|assist\w*|bot|robot|maquina|machine|ia|ai|human\w*|persona|person|real|alguien"
    r"|anyone|someone|anybody|there|ahi|hablar|talk|chat\w*|atender|atiende)\b"
)


def _asks_past_the_greeting(reading) -> bool:
    """"buenas, ¿me podéis decir si el hotel tiene piscina?" is a question the
    hotel's answers lack, to be passed on; "hola, ¿qué tal?" and "hola, ¿me
    puedes ayudar?" are greetings."""
    rest = _GREETING_RE.sub("", fold(reading.text))
    if _ABOUT_THE_AGENT_RE.search(rest):
        return False
    return reading.is_question and len(re.findall(r"[a-z]+", rest)) >= 3


def _fallback(turn: Turn) -> list[Reply]:
    from webhooks import metrics

    from .handoff import hand_off

    metrics.agent_fallbacks.labels(tenant=turn.tenant.slug, language=turn.language).inc()
    turn.slots.misses += 1
    if turn.slots.misses >= repair.MISSES_BEFORE_STAFF:
        return hand_off(turn, reason="stuck")
    return [turn.say("fallback", retry=turn.slots.misses - 1)]
