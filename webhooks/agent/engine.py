"""One guest message in, the agent's replies out.

The turn is: read the message (understanding/, pure), route it through the
dialogue table (dialogue/routes.py) to one skill, save the conversation. Every
rule about bookings stays in the reservation services; skills only translate
their answers and errors into words the guest understands.
"""
from __future__ import annotations

import datetime
import logging
from dataclasses import replace

from django.utils import timezone

from reservations.errors import Busy
from webhooks.models import Conversation, MessageMedia

from . import replies
from .dialogue.routes import dispatch
from .dialogue.skills import attachments
from .dialogue.turn import Turn
from .reply import Reply
from .state import DATA_STATES, Slots, State
from .understanding import llm
from .understanding.dates import Stay
from .understanding.intents import Intent
from .understanding.language import detect_language
from .understanding.reading import read
from .understanding.room_choice import RoomChoice

logger = logging.getLogger(__name__)

# WhatsApp quick-reply buttons arrive as "button"/"interactive" but carry text.
TEXT_TYPES = {"text", "button", "interactive"}
# A caption or a voice note's transcript is read as text; without one, skills/attachments.py answers.
ATTACHMENT_TYPES = frozenset(MessageMedia.Kind.values)


def respond(
    *, conversation: Conversation, text: str, message_type: str = "text", message_id: str = "",
    choice_id: str = "", media: MessageMedia | None = None,
) -> list[Reply]:
    """The replies to one guest message, in the guest's language; saves the
    conversation. Silent while staff have the conversation (`needs_staff`);
    after 24 h of silence the half-built booking is forgotten, the language and
    the reservations proven theirs kept. The caller owns the transaction and
    exactly-once delivery. `choice_id` is the id of a tapped WhatsApp choice;
    `media` what came with an image, voice note, document… or location."""
    if conversation.needs_staff:
        return []
    now = timezone.now()
    if conversation.is_expired(now):
        kept = Slots.from_json(conversation.slots)
        conversation.state = State.IDLE
        conversation.slots = Slots(my_codes=kept.my_codes, guest_name=kept.guest_name,
                                   guest_email=kept.guest_email).to_json()
    conversation.last_activity_at = now
    if conversation.language not in replies.LANGUAGES:
        conversation.language = replies.language_or_default(conversation.tenant.language)
    turn = Turn(conversation)
    text = (text or "").strip() or (media.transcript.strip() if media is not None else "")
    messages = _replies(turn, text, message_type, choice_id, media)
    if turn.stale_since is not None:
        messages.append(stale_note(turn))
    turn.save()
    logger.debug("agent replied %d message(s) to %s (%s)", len(messages), conversation.pk, message_id)
    return messages


def _replies(turn: Turn, text: str, message_type: str, choice_id: str, media: MessageMedia | None
             ) -> list[Reply]:
    if message_type in ATTACHMENT_TYPES and not text:
        return attachments.answer(turn, message_type, media)
    if message_type not in TEXT_TYPES | ATTACHMENT_TYPES:
        return [turn.say("only_text")]
    if not text and not choice_id:
        return [turn.say("help")]
    return handle_unless_busy(turn, text, choice_id)


def handle(turn: Turn, text: str, choice_id: str = "") -> list[Reply]:
    # The language first: the FAQ answer and room names are read in it.
    language = None if choice_id else detect_language(text, words_only=turn.state in DATA_STATES)
    if language:
        turn.conversation.language = language
    turn.reading = understand(turn, text, choice_id)
    replies = dispatch(turn)
    return [*turn.preface, *replies]


def understand(turn: Turn, text: str, choice_id: str):
    """The rules' reading; when they found nothing at all in an answer to our
    question and an LLM backend is configured, what it reads instead."""
    reading = read(text, turn.reading_context(), choice_id=choice_id)
    if not _unsure(reading) or not llm.is_enabled():
        return reading
    guess = llm.llm_reading(
        text, language=turn.language, today=turn.today, state=turn.state,
        room_codes=[rt.code for rt in turn.room_types], expecting=turn.slots.asked or None,
    )
    return merge_guess(reading, guess) if guess else reading


def _unsure(reading) -> bool:
    return not reading.says_something


def merge_guess(reading, guess):
    """Fill only what the rules left empty, and only with values the LLM backend validated."""
    changes = {}
    if guess.intent and guess.intent in Intent._value2member_map_:
        changes["intents"] = reading.intents | {Intent(guess.intent)}
    if guess.check_in:
        nights = (guess.check_out - guess.check_in).days if guess.check_out else guess.nights
        check_out = guess.check_out or (guess.check_in + datetime.timedelta(days=nights) if nights else None)
        changes["stay"] = Stay(guess.check_in, check_out, nights)
    if guess.adults or guess.children:
        changes["guests"] = (guess.adults or 0) + (guess.children or 0)
    if guess.room:
        changes["room"] = RoomChoice(guess.room, "llm", ())
    for name in ("name", "email", "phone"):
        if getattr(guess, name):
            changes[name] = getattr(guess, name)
    return replace(reading, **changes)


def handle_unless_busy(turn: Turn, text: str, choice_id: str) -> list[Reply]:
    """`handle`, or, when a booking, a cancellation or its audit waited too long
    for a lock (Busy: nothing was changed), "one moment, please try again". The
    conversation is left where it was, so sending the same message again retries."""
    state, slots = turn.state, Slots.from_json(turn.slots.to_json())
    try:
        return handle(turn, text, choice_id)
    except Busy:
        logger.info("conversation %s: busy, the guest is asked to try again", turn.conversation.pk)
        turn.state, turn.slots, turn.stale_since = state, slots, None
        return [turn.say("busy")]


def stale_note(turn: Turn) -> Reply:
    """Said after an answer from the PMS's last known copy: it may be a little out of date."""
    as_of = turn.stale_since.astimezone(turn.tenant.tzinfo)
    return turn.say("stale_data", time=replies.clock(as_of.time(), turn.language),
                    day=turn.day(as_of.date()) if as_of.date() != turn.today else "")
