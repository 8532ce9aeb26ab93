"""Booking a room: fill the form in whatever order the guest gives things, show
the summary (saying what a correction changed), book on "yes". Every rule
stays in `reservation_create`; this skill only turns its answers into words."""
from __future__ import annotations

import logging
import re
import uuid

from django.core.exceptions import ValidationError

from reservations import rules
from reservations.errors import GuestNotAllowed, LimitReached, PMSUnavailable, ReservationError, Unavailable
from reservations.guest.links import guest_link_url
from reservations.services import pending_booking_create, reservation_create

from ...reply import Choice, Reply
from ...state import State
from ...understanding.intents import Intent
from ...understanding.text import fold
from ...understanding.wishes import wish_labels
from ..form import Slot, next_missing
from ..turn import Turn
from . import availability, handoff, notices, problems
from .reservation_words import reservation_context

logger = logging.getLogger(__name__)


def forget_booked(turn: Turn) -> None:
    """New stay details after a booking are a new stay: the booked one's dates,
    party and room are done with; who the guest is stays."""
    slots = turn.slots
    if slots.reservation_code and turn.state == State.BOOKED:
        slots.forget_stay()
        slots.reservation_code = ""
        slots.flow = ""
        slots.wishes = [wish for wish in slots.wishes if wish in turn.new_wishes]


def start(turn: Turn) -> None:
    forget_booked(turn)
    turn.slots.flow = "booking"


def ask_slot(turn: Turn, slot: Slot) -> list[Reply]:
    context = {}
    if slot.name == "check_out":
        context["check_in"] = turn.day(turn.slots.check_in)
    choices = ()
    if slot.name == "guests" and turn.slots.asked == slot.ask and turn.slots.repeats >= 1:
        choices = [Choice(f"guests:{n}", str(n)) for n in range(1, min(turn.largest_room or 4, 3) + 1)]
    if slot.name == "guests" and turn.changed & {"check_in", "check_out"} and turn.slots.check_out:
        # The dates just read, said back: "del 15 al 18" misread is caught now, not at the summary.
        context.update(dates_said=True, **turn.stay_context())
    return turn.ask(slot.state, slot.ask, choices=choices, **context)


def continue_booking(turn: Turn) -> list[Reply]:
    """Ask for the next missing piece, or show the summary to confirm; a wish
    this message added is said back first, so the guest knows it was heard."""
    noted = [turn.say("wish_noted", wishes=wish_labels(turn.new_wishes, turn.language))] \
        if turn.new_wishes else []
    turn.new_wishes = []  # said once, however the booking goes on
    return [*noted, *_next_step(turn)]


def _next_step(turn: Turn) -> list[Reply]:
    slots = turn.slots
    slots.flow = "booking"
    missing = next_missing(turn)
    if missing and missing.name in ("check_in", "check_out"):
        return ask_slot(turn, missing)
    found, problem = availability.check(turn)
    if problem:
        return problem
    if not slots.guests:
        return ask_slot(turn, next_missing(turn))
    offers = {offer.room_type.code: offer for offer in found.offers}
    free = [availability.offer_context(turn, o) for o in found.offers if o.available > 0]
    refusal = _room_refusal(turn, offers, free)
    if refusal:
        return refusal
    missing = next_missing(turn)
    if missing and missing.name == "guest_email" and slots.doubted_email:
        return [*recap(turn, offers[slots.room_type]), *doubt_email(turn)]
    if missing:
        return [*recap(turn, offers[slots.room_type]), *ask_slot(turn, missing)]
    return summary(turn, offers[slots.room_type])


def doubt_email(turn: Turn) -> list[Reply]:
    slots = turn.slots
    spanish = turn.language == "es"
    yes, no = ("Sí, corrígelo", "No, está bien") if spanish else ("Yes, fix it", "No, it's right")
    return turn.ask(State.ASK_EMAIL, "email_doubt", email=slots.doubted_email,
                    suggestion=slots.suggested_email, choices=[Choice("yes", yes), Choice("no", no)])


def typed_email_kept(turn: Turn) -> list[Reply]:
    """"no, está bien": the address is what the guest typed."""
    slots = turn.slots
    slots.guest_email, slots.doubted_email, slots.suggested_email = slots.doubted_email, "", ""
    slots.misses = 0
    return continue_booking(turn)


def recap(turn: Turn, offer) -> list[Reply]:
    """When this message settled the stay, say back what we understood before
    asking for names and emails: a wrong month is caught here, not at the summary."""
    if not turn.changed & {"check_in", "check_out", "guests", "room_type"} or turn.reminder:
        return []
    return [turn.say("stay_recap", offer=availability.offer_context(turn, offer), **turn.stay_context())]


def _room_refusal(turn: Turn, offers: dict, free: list[dict]) -> list[Reply] | None:
    """Why the party, the dates or the chosen room do not work, with what does;
    or the room question itself when no room is chosen yet."""
    slots = turn.slots
    if not offers:
        if availability.split_party(turn):
            return continue_booking(turn)
        guests, slots.guests = slots.guests, None
        return turn.ask(State.ASK_GUESTS, "too_many_for_rooms", guests=guests, max_guests=turn.largest_room)
    if not free:
        return no_rooms_for_these_dates(turn)
    slots.offered = [offer["code"] for offer in free]
    choices = availability.room_choices(turn, free)
    button = availability.room_list_button(turn)
    candidates = getattr(turn.reading.room, "candidates", ()) if turn.reading else ()
    if turn.unknown_room:
        turn.unknown_room = False
        return turn.ask(State.ASK_ROOM_TYPE, "error_room_type", offers=free, choices=choices, button=button)
    if not slots.room_type:
        return turn.ask(State.ASK_ROOM_TYPE, "ask_room_type", offers=free, choices=choices, button=button,
                        candidates=[turn.room_label(code) for code in candidates], **turn.stay_context())
    offer = offers.get(slots.room_type)
    if offer is None:
        room = turn.room(slots.room_type)
        slots.room_type = None
        phrase = room_phrase(room.label(turn.language), turn.language) if room else ""
        return turn.ask(State.ASK_ROOM_TYPE, "error_room_too_small", offers=free, choices=choices,
                        button=button, room=phrase, max_guests=room.max_guests if room else 0,
                        guests=slots.guests)
    if offer.available < 1:
        slots.room_type = None
        return turn.ask(State.ASK_ROOM_TYPE, "unavailable", room=offer.room_type.label(turn.language),
                        alternatives=free, choices=choices, button=button, **turn.stay_context())
    return None


# A room's name that already says what it is: "Habitación deluxe", "Harbor View Suite".
_ROOM_NOUN_ES = re.compile(r"^(?:habitacion|suite|estudio|apartamento|cuarto|loft|junior)\b")
_ROOM_NOUN_EN = re.compile(r"\b(?:room|suite|studio|apartment|loft|king|queen|twin|double|single)$")


def room_phrase(label: str, language: str) -> str:
    """"la habitación Standard", but "la Habitación deluxe", not "la habitación
    Habitación deluxe"; "the Standard room", but "the Harbor View Suite"."""
    if language == "es":
        return f"la {label}" if _ROOM_NOUN_ES.match(fold(label)) else f"la habitación {label}"
    return f"the {label}" if _ROOM_NOUN_EN.search(fold(label)) else f"the {label} room"


def summary(turn: Turn, offer) -> list[Reply]:
    slots = turn.slots
    yes, no = ("Sí, confirmar", "No") if turn.language == "es" else ("Yes, book it", "No")
    changed = changed_words(turn) if turn.started_in == State.CONFIRM_BOOKING else []
    return turn.ask(
        State.CONFIRM_BOOKING, "booking_summary", choices=[Choice("yes", yes), Choice("no", no)],
        offer=availability.offer_context(turn, offer), guest_name=slots.guest_name,
        guest_email=slots.guest_email, guest_phone=turn.guest_phone(), changed=changed,
        wishes=wish_labels(slots.wishes, turn.language), **turn.stay_context(),
    )


_CHANGE_WORDS = {
    "es": {"dates": "las fechas", "guests": "las personas", "room_type": "la habitación",
           "guest_name": "el nombre", "guest_email": "el email", "guest_phone": "el teléfono"},
    "en": {"dates": "the dates", "guests": "the number of guests", "room_type": "the room",
           "guest_name": "the name", "guest_email": "the email", "guest_phone": "the phone"},
}


def changed_words(turn: Turn) -> list[str]:
    """What a correction changed, in words, so the new summary says it."""
    words = _CHANGE_WORDS["es" if turn.language == "es" else "en"]
    changed = {"dates" if name in ("check_in", "check_out", "nights") else name for name in turn.changed}
    return [words[name] for name in words if name in changed]


def book(turn: Turn) -> list[Reply]:
    slots = turn.slots
    if slots.reservation_code and turn.state == State.BOOKED:
        return booked_again(turn)
    if next_missing(turn):
        return continue_booking(turn)
    reference = uuid.uuid4().hex  # names this booking across retries, in case the PMS got it
    try:
        reservation = reservation_create(
            tenant=turn.tenant, room_type=slots.room_type, check_in=slots.check_in,
            check_out=slots.check_out, guests=slots.guests, guest_name=slots.guest_name,
            guest_email=slots.guest_email, guest_phone=turn.guest_phone(), source=turn.conversation.channel,
            special_requests=special_requests(turn), actor=turn.actor, client_reference=reference,
        )
    except PMSUnavailable:
        return defer(turn, reference)
    except ValidationError as error:
        return problems.explain(turn, error, rules.MAX_BOOKING_ADVANCE_DAYS)
    except Unavailable:
        return taken_meanwhile(turn)
    except LimitReached:
        return turn.ask(State.IDLE, "limit_reached")
    except GuestNotAllowed:
        return turn.ask(State.IDLE, "not_allowed")
    except ReservationError:
        logger.exception("booking failed for conversation %s", turn.conversation.pk)
        return turn.ask(State.IDLE, "error_generic")
    slots.reservation_code = reservation.code
    slots.remember_code(reservation.code)
    slots.flow = ""
    turn.state = State.BOOKED
    confirmation = turn.say("booked", guest_link=guest_link_url(reservation),
                            **{**reservation_context(turn, reservation), **turn.party_words()})
    replies = [notices.confirmed(confirmation, turn, reservation)]
    if slots.more_rooms:
        return [*replies, offer_next_room(turn)]
    return [*replies, *handoff.questions_waiting(turn)]


def offer_next_room(turn: Turn) -> Reply:
    slots = turn.slots
    spanish = turn.language == "es"
    yes, no = ("Sí, la siguiente", "No, ya está") if spanish else ("Yes, the next one", "No, that's all")
    choices = [Choice("yes", yes), Choice("no", no)]
    turn.offer_choices(choices)
    return turn.say("next_room", more=slots.more_rooms, check_in=turn.day(slots.check_in),
                    check_out=turn.day(slots.check_out), guests=_next_room_party(slots)[1],
                    choices=choices)


def _next_room_party(slots) -> tuple[int, int | None]:
    """(guests still to place, guests of the next room): what a split party has left
    shared among the rooms to go (8 in 3 rooms: 3, 3, then 2); without a split, or
    when the earlier rooms took more than planned, as many as the last room."""
    left = slots.party_left - (slots.guests or 0)
    if left < 1 or not slots.more_rooms:
        return 0, slots.guests
    return left, -(-left // slots.more_rooms)


def next_room(turn: Turn) -> list[Reply]:
    """"sí" to the next room: the same dates and the same guest, a room to choose."""
    slots = turn.slots
    slots.party_left, slots.guests = _next_room_party(slots)
    slots.more_rooms -= 1
    if not slots.more_rooms:
        slots.party_left = 0  # the last room takes whoever is left
    slots.room_type, slots.reservation_code, slots.flow = None, "", "booking"
    reading = turn.reading
    if reading.guests or (reading.number and 0 < reading.number <= 20):
        slots.guests = reading.guests or reading.number
    return continue_booking(turn)


def no_more_rooms(turn: Turn) -> list[Reply]:
    turn.slots.more_rooms = turn.slots.party_left = 0
    return [turn.say("anything_else"), *handoff.questions_waiting(turn)]


_CRIB = {
    "es": ("Cuna para 1 bebé (pedida en el chat).", "Cunas para {n} bebés (pedidas en el chat)."),
    "en": ("Crib for 1 baby (asked for in the chat).", "Cribs for {n} babies (asked for in the chat)."),
}


_ASKED = {"es": "Pedido en el chat: {}.", "en": "Asked for in the chat: {}."}


def special_requests(turn: Turn) -> str:
    """What the hotel's staff should know, in the hotel's language: the crib, and
    the wishes the guest added ("con desayuno", "llegaremos tarde")."""
    cribbed = turn.slots.infants > 0  # the baby's crib is written by crib_request already
    wishes = wish_labels([wish for wish in turn.slots.wishes if not (cribbed and wish == "crib")],
                         turn.tenant.language)
    asked = _ASKED["es" if turn.tenant.language == "es" else "en"].format(", ".join(wishes)) if wishes else ""
    return " ".join(part for part in (crib_request(turn), asked) if part)


def crib_request(turn: Turn) -> str:
    """The guest was told a crib is free on request: their baby is the request,
    written for the hotel's staff in the hotel's language, so the crib is ready."""
    infants = turn.slots.infants
    if not infants:
        return ""
    one, several = _CRIB["es" if turn.tenant.language == "es" else "en"]
    return one if infants == 1 else several.format(n=infants)


def defer(turn: Turn, reference: str) -> list[Reply]:
    """Every rule passed but the PMS is down: keep the request, to be booked as
    soon as it is back, and say so. The guest hears the outcome later."""
    slots = turn.slots
    pending_booking_create(
        tenant=turn.tenant, client_reference=reference, source=turn.conversation.channel,
        notify={"conversation_id": turn.conversation.pk}, room_type=slots.room_type,
        check_in=slots.check_in, check_out=slots.check_out, guests=slots.guests,
        guest_name=slots.guest_name, guest_email=slots.guest_email, guest_phone=turn.guest_phone(),
        special_requests=special_requests(turn), actor=turn.actor,
    )
    slots.pending_booking = reference
    return turn.ask(State.IDLE, "booking_pending", **turn.stay_context())


def taken_meanwhile(turn: Turn) -> list[Reply]:
    """The last room went between the summary and the "yes": offer what is left."""
    code, turn.slots.room_type = turn.slots.room_type, None
    found, problem = availability.check(turn)
    if problem:
        return problem
    free = [availability.offer_context(turn, o) for o in found.offers if o.available > 0]
    if not free:
        return no_rooms_for_these_dates(turn)
    return turn.ask(State.ASK_ROOM_TYPE, "unavailable", room=turn.room_label(code), alternatives=free,
                    choices=availability.room_choices(turn, free), **turn.stay_context())


def no_rooms_for_these_dates(turn: Turn) -> list[Reply]:
    reply = turn.ask(State.ASK_DATES, "unavailable", alternatives=[], **turn.stay_context())
    turn.slots.forget_dates()
    return reply


def booked_again(turn: Turn) -> list[Reply]:
    """A second "yes" (or a redelivered one) books nothing new."""
    from reservations.selectors import guest_reservation

    code = turn.slots.reservation_code
    reservation = None
    if code:
        reservation = guest_reservation(tenant=turn.tenant, code=code, known_codes=turn.slots.my_codes)
    if reservation is None:
        return [turn.say("anything_else")]
    return [turn.say("booked", again=True, guest_link=guest_link_url(reservation),
                     **reservation_context(turn, reservation))]


def declined(turn: Turn) -> list[Reply]:
    turn.slots.flow = ""
    return [*turn.ask(State.IDLE, "booking_declined"), *handoff.questions_waiting(turn)]


def from_offer(turn: Turn) -> list[Reply]:
    """"yes", "la deluxe" or "esa misma" after an offer: book it, keeping the stay."""
    start(turn)
    slots = turn.slots
    if slots.asked == "which_is" and slots.named and not turn.reading.room_code:
        slots.room_type = slots.named  # "sí" to "la más económica es la estándar"
        turn.changed.add("room_type")
    if not slots.room_type and turn.reading.room_code:
        slots.room_type = turn.reading.room_code
    if not slots.room_type and len(slots.offered) == 1 and not turn.unknown_room:
        slots.room_type = slots.offered[0]
    return continue_booking(turn)


# --- contact details we could not take -------------------------------------------

def contact_problem(turn: Turn) -> list[Reply]:
    """A broken email, phone or name gets a question about exactly that, with
    what was wrong, and counts as a miss (the third goes to staff)."""
    from .handoff import hand_off
    from .repair import MISSES_BEFORE_STAFF

    slots, reading = turn.slots, turn.reading
    slots.misses += 1
    has_none = not reading.email_problem and (
        _NO_EMAIL_RE.search(fold(reading.text)) or says_no_to_having_an_email(turn))
    if slots.misses >= MISSES_BEFORE_STAFF:
        return hand_off(turn, reason="no_email" if has_none and turn.state == State.ASK_EMAIL else "stuck")
    turn.retry = slots.misses - 1
    if turn.state == State.ASK_EMAIL and has_none:
        return turn.ask(State.ASK_EMAIL, "no_email")
    if reading.email_problem or turn.state == State.ASK_EMAIL:
        slots.suggested_email = reading.email_suggestion or ""
        yes = "Sí, ese es" if turn.language == "es" else "Yes, that's it"
        choices = [Choice("yes", yes)] if slots.suggested_email else []
        return turn.ask(State.ASK_EMAIL, "error_email", email=_typed_email(reading.text),
                        problem=reading.email_problem or "", suggestion=slots.suggested_email,
                        choices=choices)
    if turn.state == State.ASK_PHONE:
        return turn.ask(State.ASK_PHONE, "error_phone", problem=reading.phone_problem or "")
    return turn.ask(State.ASK_NAME, "error_name")


# "¿para qué quieres mi email?", "why do you need my phone?": a question, not a bad answer.
# A plain "porque …" is a reason given ("porque no tengo email"), so it must ask.
_WHY_RE = re.compile(r"\b(?:para|pa)\s+(?:que|q)\b|\bpor\s+(?:que|q)\b|\bporque\s*\?|\bwhy\b"
                     r"|\bwhat\s+(?:for|do\s+you\s+need)\b|\bwhat\s+is\s+(?:it|that)\s+for\b")
_WHY_OPENING_RE = re.compile(r"^(?:y\s+|pero\s+|and\s+|but\s+)?(?:(?:para|pa)\s+(?:que|q)|why)\b")
_FIELD_WORDS = (("email", re.compile(r"\b(?:e-?mail|correo|mail)\b")),
                ("phone", re.compile(r"\b(?:telefono|movil|numero|phone|number|mobile|cell)\b")),
                ("name", re.compile(r"\b(?:nombre|apellidos?|name|surname)\b")))
_WHY_STATE_FIELD = {State.ASK_EMAIL: "email", State.ASK_PHONE: "phone", State.ASK_NAME: "name"}


def asks_why_we_need_it(turn: Turn) -> bool:
    """Asked for a contact detail, the guest asks what it (or another) is for, giving none."""
    reading = turn.reading
    if turn.state not in _WHY_STATE_FIELD or reading.email or reading.phone:
        return False
    text = fold(reading.text).strip()
    if reading.is_question:
        return bool(_WHY_RE.search(text))
    return bool(_WHY_OPENING_RE.match(text))  # "y pa que el telefono", typed without "?"


def why_we_ask(turn: Turn) -> list[Reply]:
    """What the detail is for (the one the guest names, else the one asked), and
    the question again: no miss counted, the guest is taking part."""
    asking = _WHY_STATE_FIELD[turn.state]
    text = fold(turn.reading.text)
    field = next((name for name, words in _FIELD_WORDS if words.search(text)), asking)
    return turn.ask(turn.state, "why_contact", field=field, asking=asking)


# "no tengo email", "I don't have one": an answer, which the booking cannot do without.
_NO_EMAIL_RE = re.compile(
    r"\b(?:no\s+(?:tengo|tenemos|uso|usamos)|sin\s+(?:email|e-?mail|correo|mail)|no\s+(?:email|e-?mail|correo)"
    r"|(?:dont|don't|do\s+not|doesnt|doesn't)\s+(?:have|use))\b"
)


def says_no_to_having_an_email(turn: Turn) -> bool:
    """"no" to "do you have one, even someone else's?", or to "could you type it
    again?": no email to give, which moves on to the hotel's phone and then a
    person, not calling the booking off."""
    reading = turn.reading
    asked_again = turn.slots.asked in ("no_email", "error_email")
    return asked_again and reading.has(Intent.DECLINE) and not reading.email


def _typed_email(text: str) -> str:
    words = [word for word in text.split() if "@" in word or "." in word]
    return (words[0] if words else text)[:80]


def suggested_email_accepted(turn: Turn) -> list[Reply]:
    from security.validation import normalize_email

    slots = turn.slots
    slots.guest_email, slots.suggested_email = normalize_email(slots.suggested_email), ""
    slots.doubted_email = ""
    slots.misses = 0
    return continue_booking(turn)
