"""What is free and what it costs: answered first, then the one question that
moves the guest on. A price question without a party size still gets every
room type with its capacity and total; dates still missing get the nightly
prices and a question about dates."""
from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError

from reservations import pricing, rules
from reservations.errors import PMSUnavailable
from reservations.selectors import Availability, RoomTypeOffer, availability_for

from ... import replies
from ...reply import Choice, Reply
from ...state import State
from ...understanding.intents import Intent
from ...understanding.text import fold
from ..turn import Turn
from . import problems


def offer_context(turn: Turn, offer: RoomTypeOffer) -> dict:
    quote = offer.quote
    rates = set(quote.nightly_rates)
    return {
        "code": offer.room_type.code,
        "name": offer.room_type.label(turn.language),
        "max_guests": offer.room_type.max_guests,
        "available": offer.available,
        "nightly": turn.money(min(rates)) if rates else "",
        "nightly_varies": len(rates) > 1,
        "nightly_max": turn.money(max(rates)) if rates else "",
        "subtotal": turn.money(quote.subtotal),
        "total": turn.money(quote.total),
        "discount": replies.percent(quote.discount_rate, turn.language) if quote.discount_rate else "",
    }


def room_choices(turn: Turn, offers: list[dict]) -> list[Choice]:
    """The rooms as a WhatsApp list: title ≤ 24 characters, the total underneath."""
    people = "pers." if turn.language == "es" else "guests"
    return [
        Choice(f"room:{offer['code']}", offer["name"], f"{offer['total']} · ≤{offer['max_guests']} {people}")
        for offer in offers
    ]


def room_list_button(turn: Turn) -> str:
    return "Ver habitaciones" if turn.language == "es" else "See rooms"


MAX_ROOMS_BY_CHAT = 4  # a larger group is the hotel's to arrange: its phone is given instead


def split_party(turn: Turn) -> bool:
    """A party no room takes ("somos 8" where rooms take 4) is offered the fewest
    rooms that do, the party shared between them and booked one after the other,
    rather than told to come with fewer people. False when it fits a room, is
    already being split, or would need more rooms than a chat should book."""
    slots, largest = turn.slots, turn.largest_room
    party = slots.guests
    if not (largest and party and party > largest) or slots.more_rooms:
        return False
    rooms = -(-party // largest)
    if rooms > MAX_ROOMS_BY_CHAT:
        return False
    per_room = slots.book_rooms(rooms, party)
    turn.preface = [turn.say("party_split", guests=party, rooms=rooms, max_guests=largest,
                             per_room=per_room, more=rooms - 1)]
    return True


def check(turn: Turn, *, guests: int | None = None) -> tuple[Availability | None, list[Reply]]:
    """Availability for the stay in the slots, or the words for why the dates do
    not work (and those dates forgotten, so we ask again)."""
    slots = turn.slots
    try:
        availability = availability_for(
            tenant=turn.tenant, check_in=slots.check_in, check_out=slots.check_out,
            guests=guests or slots.guests or 1, warm=turn.warm_config,
        )
    except ValidationError as error:
        return None, problems.explain(turn, error, rules.MAX_AVAILABILITY_ADVANCE_DAYS)
    except PMSUnavailable:
        return None, [turn.say("pms_unavailable")]  # no copy to answer from: the hotel's contacts
    if availability.degraded:
        turn.stale_since = availability.as_of
    return availability, []


def price_list(turn: Turn) -> list[dict]:
    return [
        {"name": rt.label(turn.language), "max_guests": rt.max_guests, "nightly": turn.money(rt.base_rate)}
        for rt in turn.room_types
    ]


def answer(turn: Turn, *, price: bool = False) -> list[Reply]:
    """Every room type with what is left, its nightly price and the stay's total;
    then "how many of you?" when that is unknown, else "which one shall I book?"."""
    slots = turn.slots
    if not slots.flow:
        slots.flow = "availability"
    if not slots.check_in:
        if price or turn.reading.has_stay_details:
            return turn.ask(State.AVAILABILITY_DATES, "price_list", rooms=price_list(turn))
        return turn.ask(State.AVAILABILITY_DATES, "ask_dates")
    one_night = False
    if not slots.check_out:
        if not (price or turn.reading.has(Intent.AVAILABILITY)):
            return turn.ask(State.AVAILABILITY_DATES, "ask_check_out", check_in=turn.day(slots.check_in))
        # "¿hay sitio pasado mañana?": answer for one night rather than ask first.
        slots.check_out, one_night = slots.check_in + datetime.timedelta(days=1), True
    availability, problem = check(turn)
    if problem:
        return problem
    if not availability.offers and split_party(turn):
        return answer(turn, price=price)
    offers = [offer_context(turn, offer) for offer in availability.offers]
    free = [offer for offer in offers if offer["available"]]
    slots.offered = [offer["code"] for offer in free]
    context = {"offers": offers, "any_available": bool(free), "price": price, "one_night": one_night,
               **_named_room(turn, offers), **turn.stay_context()}
    if free and not slots.guests:
        return turn.ask(State.ASK_GUESTS, "availability", ask_guests=True, **context)
    if not free:
        return turn.ask(State.AVAILABILITY_DATES, "availability", **context)
    return turn.ask(State.OFFERED, "availability", choices=room_choices(turn, free),
                    button=room_list_button(turn), **context)


_DISCOUNT_WORDS = re.compile(
    r"\b(?:descuentos?|ofertas?|promocion\w*|rebajas?|discounts?|special\s+(?:offers?|rates?|deals?)"
    r"|promo(?:tion)?s?|cheaper\s+(?:for|if)|mas\s+barato\s+si)\b"
)


def asks_about_discounts(turn: Turn) -> bool:
    return bool(turn.reading and _DISCOUNT_WORDS.search(fold(turn.reading.text)))


def discounts_asked(turn: Turn) -> list[Reply]:
    """"¿hay descuento por estancia larga?": the long-stay tiers, and how many more
    nights reach the first one, after whatever else the message asked."""
    if not asks_about_discounts(turn):
        return []
    nights = turn.slots.stay_nights or 0
    return [turn.say(
        "long_stay_discounts", week_nights=pricing.WEEK_NIGHTS, month_nights=pricing.MONTH_NIGHTS,
        week=replies.percent(pricing.WEEK_DISCOUNT, turn.language),
        month=replies.percent(pricing.MONTH_DISCOUNT, turn.language),
        nights_to_week=pricing.WEEK_NIGHTS - nights if 0 < nights < pricing.WEEK_NIGHTS else 0,
    )]


def _named_room(turn: Turn, offers: list[dict]) -> dict:
    """"¿tenéis la suite libre del 5 al 7?" is answered about the suite first (the
    other rooms after it), or told it does not take the party; not a plain list."""
    code = turn.reading.room_code if turn.reading else None
    if not code:
        return {}
    focus = next((offer for offer in offers if offer["code"] == code), None)
    if focus is not None:
        return {"focus": focus, "others": [offer for offer in offers if offer is not focus]}
    room = turn.room(code)
    if room is None:
        return {}
    turn.slots.room_type = None  # "vale" then picks among the rooms that fit
    return {"too_small": {"name": room.label(turn.language), "max_guests": room.max_guests}}


def answer_within_booking(turn: Turn, *, price: bool = False) -> list[Reply]:
    """A price question in the middle of a booking: the figures for the stay being
    booked, then the booking's next question."""
    from .booking import continue_booking

    slots = turn.slots
    if not (slots.check_in and slots.check_out):
        return continue_booking(turn)
    availability, problem = check(turn)
    if problem:
        return problem
    offers = [offer_context(turn, offer) for offer in availability.offers]
    figures = turn.say("availability", offers=offers, any_available=any(o["available"] for o in offers),
                       price=price, in_booking=True, **turn.stay_context())
    return [figures, *continue_booking(turn)]


SUPERLATIVES = frozenset({"cheapest", "largest", "priciest"})


def asks_which_is(turn: Turn) -> bool:
    """"whats the cheapest?", "¿cuál es la más grande?" after the rooms: a question
    about the offer, not yet a choice ("the cheapest pls" is one)."""
    reading, room = turn.reading, turn.reading.room
    return (reading.is_question and room is not None and room.how in SUPERLATIVES and bool(room.code)
            and not reading.has(Intent.BOOK, Intent.CONFIRM) and room.code in turn.slots.offered
            and not reading.has_contact)


def which_is(turn: Turn) -> list[Reply]:
    """The room that answers, with its price, and "shall I book it?": a yes books
    that one; the rooms offered stay offered."""
    code = turn.reading.room.code
    availability, problem = check(turn)
    if problem:
        return problem
    offer = next((offer_context(turn, o) for o in availability.offers if o.room_type.code == code), None)
    if offer is None or not offer["available"]:
        return answer(turn)
    turn.slots.named = code
    yes, no = ("Sí, resérvala", "No") if turn.language == "es" else ("Yes, book it", "No")
    return turn.ask(State.OFFERED, "which_is", how=turn.reading.room.how, offer=offer,
                    choices=[Choice("yes", yes), Choice("no", no)], **turn.stay_context())
