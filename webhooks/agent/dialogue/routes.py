"""The dialogue as a table: which skill answers a message, given the state the
conversation is in and what the message says. The first row that matches wins,
so the order is the policy: a person beats everything, then the reservation a
guest is confirming or cancelling, then questions about the hotel and rooms
(answered in the middle of a booking without losing it), then booking data.

Adding a skill is a module under `skills/`, a row here and its templates.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..reply import Reply
from ..state import BOOKING, COLLECTING, State
from ..understanding.intents import Intent, asks_about_its_booking
from ..understanding.text import fold
from .merge import corrected_month, merge, names_a_room_we_lack
from .skills import (
    availability,
    booking,
    change_stay,
    existing_reservation,
    handoff,
    hotel_info,
    language,
    late_checkout,
    problems,
    repair,
    room_info,
    room_photos,
    small_talk,
)
from .turn import Turn

ANY = None
SHOPPING = frozenset({Intent.BOOK, Intent.AVAILABILITY, Intent.PRICE})


@dataclass(frozen=True)
class Route:
    states: frozenset[State] | None
    when: Callable[[Turn], bool]
    skill: Callable[[Turn], list[Reply]]

    def matches(self, turn: Turn) -> bool:
        return (self.states is None or turn.state in self.states) and self.when(turn)


def _states(*states: State) -> frozenset[State]:
    return frozenset(states)


# --- what a message is about ------------------------------------------------------

def wants(*intents: Intent) -> Callable[[Turn], bool]:
    return lambda turn: turn.reading.has(*intents)


def about_existing_reservation(turn: Turn) -> bool:
    reading = turn.reading
    if (reading.choice or "").startswith("code:"):
        return True
    if reading.code and not (reading.stay or reading.guests):
        # "check booking HA-…": the word "booking" books nothing; but "tengo la
        # reserva HA-…, ¿a qué hora puedo llegar?" asks the hotel, which needs no proof.
        return not _asks_only_the_hotel(reading)
    shopping = reading.has(*SHOPPING) or bool(reading.stay or reading.guests)
    if reading.has(Intent.CANCEL) and not reading.has(Intent.DECLINE):
        return True
    if reading.has(Intent.CHANGE) and turn.state not in BOOKING:
        return True  # in the booking form, "change the dates" corrects the form
    return reading.has(Intent.STATUS) and not shopping


_ABOUT_THE_BOOKING = (Intent.CANCEL, Intent.CHANGE, Intent.LATE_CHECKOUT)


def _asks_only_the_hotel(reading) -> bool:
    asks = reading.faq is not None or reading.has(Intent.HOTEL_INFO)
    return asks and not reading.has(*_ABOUT_THE_BOOKING) and not asks_about_its_booking(reading.text)


def odd_dates(turn: Turn) -> bool:
    """Dates to ask about. A year already past keeps its dates: the booking rules
    explain that one ("that date has passed")."""
    stay = turn.reading.stay
    if not stay.problem or (turn.reading.choice or "").startswith("date:"):
        return False
    return not (stay.problem == "impossible" and stay.check_in)


def gives_booking_data(turn: Turn) -> bool:
    reading = turn.reading
    return reading.has_stay_details or reading.has_contact or (reading.choice or "").startswith("date:")


def asks_about_a_room(turn: Turn) -> bool:
    return turn.reading.room_question is not None


def asks_the_knowledge_base(turn: Turn) -> bool:
    reading = turn.reading
    if reading.faq is None or reading.has_stay_details:
        return False
    return not reading.has(*SHOPPING) or asks_the_price_of_an_extra(turn)


# What a room's price is asked with; "¿cuánto cuesta el parking?" has none of them.
_ROOM_PRICE_WORDS = re.compile(
    r"\b(?:habitacion\w*|hab|habs|cuarto\w*|suite\w*|estancia|tarifas?|rooms?|stay|rates?"
    r"|(?:la|una|the|a)\s+(?:noche|night))\b"  # "el parking por noche" asks the parking's price
)


def asks_the_price_of_an_extra(turn: Turn) -> bool:
    """"¿cuánto cuesta el parking?" asks what the hotel's answer on parking says,
    not for the room rates; "¿cuánto cuesta la habitación con desayuno?" asks both."""
    reading = turn.reading
    return (reading.has(Intent.PRICE) and not reading.has(Intent.BOOK, Intent.AVAILABILITY)
            and reading.room is None and reading.room_question is None
            and not _ROOM_PRICE_WORDS.search(fold(reading.text)))


def asks_hotel_profile(turn: Turn) -> bool:
    return turn.reading.has(Intent.HOTEL_INFO) and not turn.reading.has_stay_details


def confirms_only(turn: Turn) -> bool:
    return turn.reading.has(Intent.CONFIRM) and not turn.reading.has_stay_details and not turn.reading.code


def picks_an_offer(turn: Turn) -> bool:
    """"yes", "la deluxe", or a room we lack, told so with the rooms we have."""
    reading = turn.reading
    return reading.has(Intent.CONFIRM) or bool(reading.room_code) or names_a_room_we_lack(reading)


def always(turn: Turn) -> bool:
    return True


# --- skills that first take the message's data ------------------------------------

def proceed(turn: Turn) -> list[Reply]:
    """Carry on with what the guest is doing: a booking, or looking. Asked "how
    many of you?" after prices, "y para pasado mañana?" wants the prices of those
    days, not only the question again."""
    looking_again = turn.slots.flow == "availability" and bool(turn.changed & {"check_in", "check_out"})
    if turn.slots.flow == "booking" or (not looking_again and turn.state in BOOKING - {State.CONFIRM_DATES}):
        return booking.continue_booking(turn)
    return availability.answer(turn)


def take_data(turn: Turn) -> list[Reply]:
    merge(turn)
    return proceed(turn)


def clarify_dates(turn: Turn) -> list[Reply]:
    merge(turn)  # the party, room and name said alongside are kept
    if turn.reading.has(Intent.BOOK):
        turn.slots.flow = "booking"
    elif turn.reading.has(Intent.PRICE, Intent.AVAILABILITY) and not turn.slots.flow:
        turn.slots.flow = "availability"  # "how much for a week in January?": the prices once dated
    return problems.clarify_dates(turn) + availability.discounts_asked(turn)


def book_intent(turn: Turn) -> list[Reply]:
    if turn.state not in BOOKING:
        booking.start(turn)
    merge(turn)
    return booking.continue_booking(turn)


def shopping(turn: Turn) -> list[Reply]:
    """Prices and availability; a hotel question asked alongside ("¿y hay parking?")
    is answered too, after the figures."""
    booking.forget_booked(turn)
    merge(turn)
    price = turn.reading.has(Intent.PRICE)
    slots = turn.slots
    if turn.state in BOOKING or slots.flow == "booking":
        if slots.room_type and slots.check_out:
            return availability.answer_within_booking(turn, price=price) + hotel_info.side_answers(turn)
        return hotel_info.side_answers(turn) + booking.continue_booking(turn)
    figures = availability.answer(turn, price=price)
    picked = turn.reading.room_code
    if picked and picked in slots.offered:
        # "¿cuánto sale la más barata?": that is the one "esa misma" means next.
        slots.offered = [code for code in slots.offered if code != picked] + [picked]
    return figures + availability.discounts_asked(turn) + hotel_info.side_answers(turn)


def discounts(turn: Turn) -> list[Reply]:
    """"¿hay descuentos?" on its own: the long-stay tiers, then the question pending."""
    return [*availability.discounts_asked(turn), *repair.pending_question(turn)]


def book_what_was_shown(turn: Turn) -> list[Reply]:
    """"yes" to prices shown before we knew the party: a booking, whose first
    question (how many of you?) is asked afresh, not as a misunderstanding."""
    booking.start(turn)
    turn.slots.asked = ""
    return booking.continue_booking(turn)


def switch_language(turn: Turn) -> list[Reply]:
    """The language first, then whatever else the same message asked, answered
    as if it had come on its own in the new language."""
    rest = language.rest_of_message(turn.reading)
    if rest is None:
        return language.switch(turn)
    language.choose(turn)
    turn.reading = rest
    return [turn.say("language_switched", pending=True), *dispatch(turn)]


def from_offer(turn: Turn) -> list[Reply]:
    merge(turn)
    return booking.from_offer(turn)


def picks_and_asks(turn: Turn) -> list[Reply]:
    """"sí, ¿el desayuno va aparte?" after the rooms: the answer, and the booking goes on."""
    return [*hotel_info.side_answers(turn), *from_offer(turn)]


def data_outside_a_booking(turn: Turn) -> list[Reply]:
    """"del 12 al 14" asks what is free; "la suite del 12 al 14" has already chosen."""
    booking.forget_booked(turn)
    merge(turn)
    reading = turn.reading
    if reading.stay and (reading.room is None or (reading.is_question and not reading.has(Intent.BOOK))):
        # "cheapest room for jan 20-23?" asks, it does not book
        return availability.answer(turn) + availability.discounts_asked(turn)
    if turn.reading.has_stay_details:
        booking.start(turn)
        return booking.continue_booking(turn)
    return small_talk.reply(turn)


def collect(turn: Turn) -> list[Reply]:
    """An answer to the booking's question: take it, or say we could not read it."""
    if merge(turn) or turn.unknown_room:
        turn.slots.misses = 0
        if turn.reading.email_problem and not turn.reading.email:
            return booking.contact_problem(turn)  # the name came through, the email did not
        return [*hotel_info.side_answers(turn), *proceed(turn)]  # "somos 2 y un perro": the pet rules too
    if turn.reading.has_stay_details:
        # "sorry, it's 2 adults and 1 kid": what we had already; no failed answer.
        return [turn.say("noted"), *proceed(turn)]
    if hotel_info.asks_what_we_cannot_answer(turn):
        return hotel_info.question_for_later(turn)  # "¿tenéis gimnasio?" is no failed name
    if turn.state in CONTACT_STATES and not turn.reading.intents:
        return booking.contact_problem(turn)
    return small_talk.reply(turn)


CONTACT_STATES = frozenset({State.ASK_NAME, State.ASK_EMAIL, State.ASK_PHONE})


def accepts_suggested_email(turn: Turn) -> bool:
    return bool(turn.slots.suggested_email) and turn.reading.has(Intent.CONFIRM) and not turn.reading.email


def wants_the_next_room(turn: Turn) -> bool:
    """"sí", or "2" / "somos 3" for who goes in it, after the next room was offered."""
    reading = turn.reading
    party = bool(reading.guests or reading.number) and not reading.stay
    return bool(turn.slots.more_rooms) and (confirms_only(turn) or party)


def keeps_typed_email(turn: Turn) -> bool:
    return bool(turn.slots.doubted_email) and turn.reading.has(Intent.DECLINE) and not turn.reading.email


ROUTES: tuple[Route, ...] = (
    Route(ANY, wants(Intent.HANDOFF), handoff.hand_off),
    Route(ANY, wants(Intent.SPEAK_ENGLISH, Intent.SPEAK_SPANISH), switch_language),
    Route(CONTACT_STATES, booking.asks_why_we_need_it, booking.why_we_ask),  # not the hotel's email
    Route(_states(State.CONFIRM_CANCEL), confirms_only, existing_reservation.cancel_confirmed),
    Route(_states(State.CONFIRM_CANCEL), wants(Intent.DECLINE), existing_reservation.cancel_kept),
    Route(_states(State.ASK_BOOKING_EMAIL), lambda turn: bool(turn.reading.email),
          existing_reservation.verify_email),
    Route(_states(State.CONFIRM_CHANGE), confirms_only, change_stay.confirmed),
    Route(_states(State.CONFIRM_CHANGE), wants(Intent.DECLINE), change_stay.kept),
    Route(_states(State.CONFIRM_CHANGE, State.ASK_CHANGE_DATES), change_stay.gives_new_dates,
          change_stay.dates_given),
    Route(ANY, wants(Intent.LATE_CHECKOUT), late_checkout.handle),
    Route(ANY, about_existing_reservation, existing_reservation.handle),
    Route(ANY, lambda turn: corrected_month(turn) is not None, take_data),
    Route(ANY, odd_dates, clarify_dates),
    Route(_states(State.CONFIRM_BOOKING), gives_booking_data, take_data),
    Route(_states(State.CONFIRM_BOOKING), wants(Intent.CONFIRM), booking.book),
    Route(_states(State.CONFIRM_BOOKING), wants(Intent.DECLINE), booking.declined),
    Route(_states(State.BOOKED), wants_the_next_room, booking.next_room),
    Route(_states(State.BOOKED), lambda turn: bool(turn.slots.more_rooms) and wants(Intent.DECLINE)(turn),
          booking.no_more_rooms),
    Route(_states(State.BOOKED), confirms_only, booking.booked_again),
    Route(ANY, room_photos.asks_for_photos, room_photos.answer),
    Route(ANY, asks_about_a_room, room_info.answer),
    Route(_states(State.OFFERED), availability.asks_which_is, availability.which_is),
    Route(_states(State.OFFERED), lambda turn: picks_an_offer(turn) and turn.reading.faq is not None,
          picks_and_asks),
    Route(ANY, asks_the_knowledge_base, hotel_info.answer_faq),
    Route(ANY, asks_hotel_profile, hotel_info.answer_profile),
    Route(ANY, lambda turn: availability.asks_about_discounts(turn) and not turn.reading.has_stay_details,
          discounts),
    Route(ANY, wants(Intent.BOOK), book_intent),
    Route(ANY, wants(Intent.AVAILABILITY, Intent.PRICE), shopping),
    Route(_states(State.ASK_GUESTS), lambda turn: confirms_only(turn) and turn.slots.flow != "booking",
          book_what_was_shown),
    Route(_states(State.ASK_EMAIL), accepts_suggested_email, booking.suggested_email_accepted),
    Route(_states(State.ASK_EMAIL), keeps_typed_email, booking.typed_email_kept),
    Route(_states(State.ASK_EMAIL), booking.says_no_to_having_an_email, booking.contact_problem),
    Route(COLLECTING, lambda turn: not turn.reading.has(Intent.DECLINE) or gives_booking_data(turn), collect),
    Route(COLLECTING, wants(Intent.DECLINE), booking.declined),
    Route(_states(State.OFFERED), picks_an_offer, from_offer),
    Route(_states(State.AVAILABILITY_DATES), gives_booking_data, take_data),
    Route(ANY, gives_booking_data, data_outside_a_booking),
    Route(ANY, always, small_talk.reply),
)


def dispatch(turn: Turn) -> list[Reply]:
    for route in ROUTES:
        if route.matches(turn):
            return route.skill(turn)
    raise AssertionError("the last route matches every message")  # pragma: no cover
