"""One guest message in, the agent's replies out.

The conversation's `state` says what the agent asked last, and `slots` hold the
booking being assembled (dates as ISO strings, so they survive as JSON). Each turn
reads the message (language, intents, facts), lets the state decide what the
message answers, and replies from templates. Every rule about bookings stays in
the reservation services; this module only translates their answers and errors
into words the guest understands.
"""
import contextlib
import datetime
import logging
import re
import uuid

from django.core.exceptions import ValidationError
from django.utils import timezone

from reservations import rules
from reservations.errors import (
    Busy,
    GuestNotAllowed,
    LimitReached,
    PMSUnavailable,
    ReservationError,
    Unavailable,
)
from reservations.guest.links import guest_link_url
from reservations.models import Reservation
from reservations.selectors import (
    Availability,
    RoomTypeOffer,
    availability_for,
    reservation_get,
    room_types_for,
)
from reservations.services import pending_booking_create, reservation_cancel, reservation_create
from security.validation import normalize_email, normalize_phone
from webhooks import metrics
from webhooks.models import Conversation

from . import replies
from .understanding.contact import extract_name
from .understanding.dates import extract_stay
from .understanding.facts import Facts, extract_facts
from .understanding.intents import Intent, detect_intents
from .understanding.language import detect_language
from .understanding.text import fold

logger = logging.getLogger(__name__)

# WhatsApp quick-reply buttons arrive as "button"/"interactive" but carry text.
TEXT_TYPES = {"text", "button", "interactive"}


class State:
    IDLE = "idle"
    AVAILABILITY_DATES = "availability_dates"  # asked for dates to show availability
    OFFERED = "offered"  # showed availability, "yes" means book
    ASK_DATES = "ask_dates"
    ASK_CHECK_OUT = "ask_check_out"
    ASK_GUESTS = "ask_guests"
    ASK_ROOM_TYPE = "ask_room_type"
    ASK_NAME = "ask_name"
    ASK_EMAIL = "ask_email"
    ASK_PHONE = "ask_phone"
    CONFIRM_BOOKING = "confirm_booking"
    BOOKED = "booked"
    ASK_CODE = "ask_code"
    CONFIRM_CANCEL = "confirm_cancel"


COLLECTING = {
    State.ASK_DATES, State.ASK_CHECK_OUT, State.ASK_GUESTS, State.ASK_ROOM_TYPE, State.ASK_NAME,
    State.ASK_EMAIL, State.ASK_PHONE,
}
BOOKING = COLLECTING | {State.CONFIRM_BOOKING}
# What the guest typed answers the question, not which language they prefer.
DATA_STATES = {State.ASK_NAME, State.ASK_EMAIL, State.ASK_PHONE}
STAY_SLOTS = ("check_in", "check_out", "nights", "guests", "room_type")

# Canonical room words (see extraction) to the words a hotel's room codes and
# names use; a "double" is the standard room in most small hotels.
ROOM_ALIASES = {
    "double": ("double", "doble", "standard", "estandar", "classic", "clasica"),
    "standard": ("standard", "estandar", "classic", "clasica", "double", "doble"),
    "deluxe": ("deluxe", "lujo", "superior", "premium"),
    "superior": ("superior", "deluxe", "premium"),
    "single": ("single", "individual"),
    "family": ("family", "familiar"),
    "triple": ("triple",),
    "suite": ("suite",),
}


def respond(
    *, conversation: Conversation, text: str, message_type: str = "text", message_id: str = "",
    choice_id: str = "",
) -> list[str]:
    """The replies to one guest message, in the guest's language; saves the
    conversation. Silent while staff have the conversation (`needs_staff`);
    after 24 h of silence the half-built booking is forgotten, the language kept.
    The caller owns the transaction and exactly-once delivery."""
    if conversation.needs_staff:
        return []
    now = timezone.now()
    if conversation.is_expired(now):
        conversation.state = State.IDLE
        conversation.slots = {}
    conversation.last_activity_at = now
    if conversation.language not in replies.LANGUAGES:
        conversation.language = replies.language_or_default(conversation.tenant.language)
    turn = Turn(conversation)
    if message_type not in TEXT_TYPES:
        messages = [turn.say("only_text")]
    elif not (text or "").strip():
        messages = [turn.say("help")]
    else:
        messages = turn.handle_unless_busy(text.strip())
    if turn.stale_since is not None:
        messages.append(turn.stale_note())
    turn.save()
    logger.debug("agent replied %d message(s) to %s (%s)", len(messages), conversation.pk, message_id)
    return messages


class Turn:
    """One message's worth of work on one conversation."""

    def __init__(self, conversation: Conversation):
        self.conversation = conversation
        self.tenant = conversation.tenant
        self.today = self.tenant.local_today()
        self.slots: dict = dict(conversation.slots or {})
        self.unknown_room: str | None = None
        self.stale_since: datetime.datetime | None = None  # availability came from the PMS's last copy

    # --- bookkeeping -------------------------------------------------------

    @property
    def language(self) -> str:
        return self.conversation.language

    @property
    def state(self) -> str:
        return self.conversation.state

    @state.setter
    def state(self, value: str) -> None:
        self.conversation.state = value

    def save(self) -> None:
        self.conversation.slots = self.slots
        if self.slots.get("guest_name"):
            self.conversation.guest_name = self.slots["guest_name"][:150]
        fields = ["language", "state", "slots", "needs_staff", "last_activity_at", "guest_name"]
        self.conversation.save(update_fields=fields if self.conversation.pk else None)

    def date_slot(self, name: str) -> datetime.date | None:
        value = self.slots.get(name)
        return datetime.date.fromisoformat(value) if value else None

    def set_date(self, name: str, value: datetime.date | None) -> None:
        if value is None:
            self.slots.pop(name, None)
        else:
            self.slots[name] = value.isoformat()

    def guest_phone(self) -> str:
        """The number the guest typed when asked, else the one the channel gave."""
        return self.slots.get("guest_phone") or self.conversation.guest_phone

    # --- words -------------------------------------------------------------

    def say(self, name: str, **context) -> str:
        return replies.render(name, self.language, hotel=self.hotel_context(), **context)

    def hotel_context(self) -> dict:
        tenant = self.tenant
        return {
            "name": tenant.name,
            "address": tenant.address,
            "check_in_time": replies.clock(tenant.check_in_time, self.language),
            "check_out_time": replies.clock(tenant.check_out_time, self.language),
            "support_phone": tenant.support_phone,
            "support_email": tenant.support_email,
        }

    def money(self, amount) -> str:
        return replies.money(amount, self.tenant.currency, self.language)

    def day(self, value: datetime.date) -> str:
        return replies.long_date(value, self.language)

    def offer_context(self, offer: RoomTypeOffer) -> dict:
        quote = offer.quote
        rates = set(quote.nightly_rates)
        return {
            "code": offer.room_type.code,
            "name": offer.room_type.name,
            "max_guests": offer.room_type.max_guests,
            "available": offer.available,
            "nightly": self.money(min(rates)) if rates else "",
            "nightly_varies": len(rates) > 1,
            "nightly_max": self.money(max(rates)) if rates else "",
            "subtotal": self.money(quote.subtotal),
            "total": self.money(quote.total),
            "discount": replies.percent(quote.discount_rate, self.language) if quote.discount_rate else "",
        }

    def stay_context(self) -> dict:
        check_in, check_out = self.date_slot("check_in"), self.date_slot("check_out")
        context = {"guests": self.slots.get("guests")}
        if check_in:
            context["check_in"] = self.day(check_in)
        if check_out:
            context["check_out"] = self.day(check_out)
        if check_in and check_out:
            context["nights"] = (check_out - check_in).days
        return context

    # --- the turn ----------------------------------------------------------

    def handle(self, text: str) -> list[str]:
        self.remember_language(text)
        intents = detect_intents(text)
        facts = extract_facts(text, self.today, self.language)
        state = self.state

        if Intent.HANDOFF in intents:
            return self.hand_off()

        if state == State.CONFIRM_CANCEL:
            if Intent.CONFIRM in intents and not facts.code:
                return self.cancel_confirmed()
            if Intent.DECLINE in intents:
                return self.cancel_kept()
            self.slots.pop("cancel_code", None)
            self.state = state = State.IDLE

        about_reservation = self.existing_reservation(state, intents, facts)
        if about_reservation is not None:
            return about_reservation

        if state == State.BOOKED and (facts.has_booking_details or Intent.BOOK in intents):
            self.start_booking()  # a new stay: the booked one is done with

        if state == State.CONFIRM_BOOKING:
            if self.merge(facts, text):
                return self.continue_booking()
            if Intent.CONFIRM in intents:
                return self.book()
            if Intent.DECLINE in intents:
                return self.booking_declined()
        if state == State.BOOKED and Intent.CONFIRM in intents and not facts.has_booking_details:
            return self.booked_again()

        if Intent.HOTEL_INFO in intents and not facts.has_booking_details:
            return [self.say("hotel_info")] + (self.continue_booking() if state in COLLECTING else [])

        if Intent.BOOK in intents:
            if state not in BOOKING:
                self.start_booking()
            self.merge(facts, text)
            return self.continue_booking()
        if intents & {Intent.AVAILABILITY, Intent.PRICE}:
            self.merge(facts, text)
            if state in BOOKING and self.slots.get("room_type") and self.date_slot("check_out"):
                return self.answer_availability(price=Intent.PRICE in intents, booking=True) + \
                    self.continue_booking()
            if state in BOOKING:
                return self.continue_booking()
            return self.answer_availability(price=Intent.PRICE in intents)

        if state in COLLECTING:
            answer = self.answer_question(state, text, intents, facts)
            if answer is not None:
                return answer
        if state == State.OFFERED and (
            Intent.CONFIRM in intents or facts.room_type or self.resolve_room_type(text, None)
        ):
            self.start_booking()
            self.merge(facts, text)
            return self.continue_booking()
        if state == State.AVAILABILITY_DATES and facts.stay:
            self.merge(facts, text)
            return self.answer_availability()
        if facts.has_booking_details:
            # "del 12 al 14" asks what is free; "la suite del 12 al 14" has already chosen.
            if facts.stay and not (facts.room_type or self.resolve_room_type(text, None)):
                self.merge(facts, text)
                return self.answer_availability()
            self.start_booking()
            self.merge(facts, text)
            return self.continue_booking()

        return self.small_talk(state, intents)

    def handle_unless_busy(self, text: str) -> list[str]:
        """`handle`, or, when a booking, a cancellation or its audit waited too long
        for a lock (Busy: another request of this guest or hotel holds it, nothing
        was changed), "one moment, please try again" in the guest's language. The
        conversation is left where it was, so sending the same message again retries."""
        state, slots = self.state, dict(self.slots)
        try:
            return self.handle(text)
        except Busy:
            logger.info("conversation %s: busy, the guest is asked to try again", self.conversation.pk)
            self.state, self.slots, self.stale_since = state, slots, None
            return [self.say("busy")]

    def existing_reservation(self, state: str, intents: set, facts: Facts) -> list[str] | None:
        """Status and cancellation of a reservation named by its code; None when
        the message is about something else."""
        wants_cancel = Intent.CANCEL in intents and Intent.DECLINE not in intents
        wants_status = Intent.STATUS in intents and not (
            intents & {Intent.BOOK, Intent.AVAILABILITY, Intent.PRICE} or facts.has_booking_details
        )
        # "cancel it" right after booking means the booking just made.
        code = facts.code or (
            self.slots.get("reservation_code") if state == State.BOOKED and (wants_cancel or wants_status)
            else None
        )
        if code:
            code_for = self.slots.pop("code_for", None)
            if wants_cancel or (state == State.ASK_CODE and code_for == "cancel"):
                return self.ask_cancel_confirmation(code)
            return self.show_status(code)
        if wants_cancel:
            return self.booking_declined() if state in BOOKING else self.ask_code("cancel")
        if wants_status:
            return self.ask_code("status")
        return None

    def small_talk(self, state: str, intents: set) -> list[str]:
        """Thanks, help, greetings and bare yes/no; a booking in progress repeats its question."""
        def pending_question() -> list[str]:
            return self.continue_booking() if state in COLLECTING else []

        if Intent.THANKS in intents:
            return [self.say("thanks")]
        if Intent.HELP in intents:
            return [self.say("help")] + pending_question()
        if Intent.GREETING in intents:
            return [self.say("greeting")] + pending_question()
        if state in BOOKING and Intent.DECLINE in intents:
            return self.booking_declined()
        if state in COLLECTING:
            metrics.agent_fallbacks.labels(tenant=self.tenant.slug, language=self.language).inc()
            return [self.say("not_understood")] + pending_question()
        if intents & {Intent.CONFIRM, Intent.DECLINE}:
            if state in (State.OFFERED, State.AVAILABILITY_DATES, State.ASK_CODE):
                self.state = State.IDLE
            return [self.say("anything_else")]
        if state == State.ASK_CODE:
            return [self.say("ask_code", retry=True)]
        metrics.agent_fallbacks.labels(tenant=self.tenant.slug, language=self.language).inc()
        return [self.say("fallback")]

    def remember_language(self, text: str) -> None:
        language = detect_language(text, words_only=self.state in DATA_STATES)
        if language:
            self.conversation.language = language

    def answer_question(self, state: str, text: str, intents: set, facts: Facts) -> list[str] | None:
        """A message that only answers what we asked ("Ana García", "2",
        "ana@example.com"); None when it does not, so the turn goes on."""
        if Intent.DECLINE in intents and not facts.has_booking_details and not facts.email:
            return self.booking_declined()
        if self.merge(facts, text):
            return self.continue_booking()
        if state == State.ASK_NAME and not intents:
            name = extract_name(text, expecting=True)
            if name:
                self.slots["guest_name"] = name
                return self.continue_booking()
            return [self.say("error_name")]
        if state == State.ASK_EMAIL and not intents:
            return [self.say("error_email", email=text[:80])]
        if state == State.ASK_PHONE and not intents:
            return [self.say("error_phone")]
        number = re.fullmatch(r"\s*(\d{1,2})\s*\.?\s*", text)
        if number and state == State.ASK_GUESTS:
            self.slots["guests"] = int(number.group(1))
            return self.continue_booking()
        check_in = self.date_slot("check_in")
        if number and state == State.ASK_CHECK_OUT and check_in:
            self.set_date("check_out", check_in + datetime.timedelta(days=int(number.group(1))))
            return self.continue_booking()
        return None

    # --- slots -------------------------------------------------------------

    def merge(self, facts: Facts, text: str) -> bool:
        """Put what the message says into the slots; True when anything changed."""
        before = dict(self.slots)
        self.merge_stay(facts, text)
        if facts.guests:
            self.slots["guests"] = facts.guests
        room = self.resolve_room_type(text, facts.room_type)
        if room:
            self.slots["room_type"] = room
        elif facts.room_type:
            self.unknown_room = facts.room_type
        if facts.name:
            self.slots["guest_name"] = facts.name[:150]
        if facts.email:
            with contextlib.suppress(ValidationError):
                self.slots["guest_email"] = normalize_email(facts.email)
        if facts.phone and (self.state == State.ASK_PHONE or not self.conversation.guest_phone):
            with contextlib.suppress(ValidationError):
                self.slots["guest_phone"] = normalize_phone(facts.phone, region=self.tenant.country)
        return self.slots != before or self.unknown_room is not None

    def merge_stay(self, facts: Facts, text: str) -> None:
        stay = facts.stay
        check_in, check_out = self.date_slot("check_in"), self.date_slot("check_out")
        if stay.check_in and stay.check_out:
            self.set_date("check_in", stay.check_in)
            self.set_date("check_out", stay.check_out)
            self.slots.pop("nights", None)
        elif stay.check_in:
            awaiting_check_out = self.state in (State.ASK_CHECK_OUT, State.AVAILABILITY_DATES)
            if awaiting_check_out and check_in and not check_out:
                # "hasta el 14" answers "until when?": read it from the check-in on.
                departure = extract_stay(text, check_in + datetime.timedelta(days=1), self.language).check_in
                if departure and departure > check_in:
                    self.set_date("check_out", departure)
                    return
            nights = self.slots.get("nights") or (
                (check_out - check_in).days if check_in and check_out else None
            )
            self.set_date("check_in", stay.check_in)
            self.set_date("check_out", stay.check_in + datetime.timedelta(days=nights) if nights else None)
        elif stay.nights:
            if check_in:
                self.set_date("check_out", check_in + datetime.timedelta(days=stay.nights))
            else:
                self.slots["nights"] = stay.nights

    def resolve_room_type(self, text: str, wish: str | None) -> str | None:
        """The hotel's room type code the guest means: by its own name or code in
        the text first ("Vista Mar"), then by the kind of room asked for."""
        room_types = list(room_types_for(tenant=self.tenant))
        folded = fold(text)
        for room_type in sorted(room_types, key=lambda rt: -len(rt.name)):
            for label in {fold(room_type.name), fold(room_type.code)}:
                if len(label) >= 4 and re.search(rf"\b{re.escape(label)}\b", folded):
                    return room_type.code
        if not wish:
            return None
        for alias in ROOM_ALIASES.get(wish, (wish,)):
            for room_type in room_types:
                if alias in fold(room_type.code) or alias in fold(room_type.name):
                    return room_type.code
        return None

    def start_booking(self) -> None:
        """A new booking forgets the previous one's stay, keeping who the guest is."""
        if self.slots.pop("reservation_code", None):
            for name in STAY_SLOTS:
                self.slots.pop(name, None)
        self.slots.pop("cancel_code", None)
        self.slots.pop("code_for", None)

    # --- availability ------------------------------------------------------

    def check_availability(self) -> tuple[Availability | None, list[str]]:
        """Availability for the stay in the slots, or the words for why the dates
        do not work (and those dates forgotten, so we ask again)."""
        check_in, check_out = self.date_slot("check_in"), self.date_slot("check_out")
        try:
            availability = availability_for(
                tenant=self.tenant, check_in=check_in, check_out=check_out,
                guests=self.slots.get("guests") or 1,
            )
        except ValidationError as error:
            return None, self.explain_invalid(error, rules.MAX_AVAILABILITY_ADVANCE_DAYS)
        except PMSUnavailable:
            return None, [self.say("pms_unavailable")]  # no copy to answer from: the hotel's contacts
        if availability.degraded:
            self.stale_since = availability.as_of
        return availability, []

    def stale_note(self) -> str:
        """Said after an answer from the PMS's last known copy: it may be a little out of date."""
        as_of = self.stale_since.astimezone(self.tenant.tzinfo)
        return self.say("stale_data", time=replies.clock(as_of.time(), self.language),
                        day=self.day(as_of.date()) if as_of.date() != self.today else "")

    def answer_availability(self, *, price: bool = False, booking: bool = False) -> list[str]:
        """Every room type with what is left, its nightly price and the stay's total.
        Asked outside a booking it ends with "shall we book?"; inside one the
        booking's next question follows instead (`booking`)."""
        if not self.date_slot("check_in"):
            self.state = State.AVAILABILITY_DATES
            if price:
                return [self.say("price_list", rooms=self.price_list())]
            return [self.say("ask_dates")]
        if not self.date_slot("check_out"):
            self.state = State.AVAILABILITY_DATES
            return [self.say("ask_check_out", check_in=self.day(self.date_slot("check_in")))]
        availability, problem = self.check_availability()
        if problem:
            return problem
        offers = [self.offer_context(offer) for offer in availability.offers]
        if not booking:
            self.state = State.OFFERED
        return [self.say(
            "availability", offers=offers, any_available=any(o["available"] for o in offers),
            price=price, in_booking=booking, **self.stay_context(),
        )]

    def price_list(self) -> list[dict]:
        return [
            {"name": rt.name, "max_guests": rt.max_guests, "nightly": self.money(rt.base_rate)}
            for rt in room_types_for(tenant=self.tenant)
        ]

    # --- booking -----------------------------------------------------------

    def ask(self, state: str, template: str, **context) -> list[str]:
        self.state = state
        return [self.say(template, **context)]

    def continue_booking(self) -> list[str]:
        """Ask for the next missing piece, or show the summary to confirm."""
        slots = self.slots
        if not self.date_slot("check_in"):
            return self.ask(State.ASK_DATES, "ask_dates")
        if not self.date_slot("check_out"):
            check_in = self.day(self.date_slot("check_in"))
            return self.ask(State.ASK_CHECK_OUT, "ask_check_out", check_in=check_in)
        availability, problem = self.check_availability()
        if problem:
            return problem
        if not slots.get("guests"):
            return self.ask(State.ASK_GUESTS, "ask_guests")
        if not availability.offers:
            guests = slots.pop("guests")
            largest = max((rt.max_guests for rt in room_types_for(tenant=self.tenant)), default=0)
            return self.ask(State.ASK_GUESTS, "too_many_for_rooms", guests=guests, max_guests=largest)
        offers = {offer.room_type.code: offer for offer in availability.offers}
        free = [self.offer_context(o) for o in availability.offers if o.available > 0]
        if not free:
            return self.no_rooms_for_these_dates()
        if self.unknown_room:
            slots.pop("room_type", None)
            return self.ask(State.ASK_ROOM_TYPE, "error_room_type", offers=free)
        if not slots.get("room_type"):
            return self.ask(State.ASK_ROOM_TYPE, "ask_room_type", offers=free, **self.stay_context())
        offer = offers.get(slots["room_type"])
        if offer is None:
            room = room_types_for(tenant=self.tenant).filter(code=slots.pop("room_type")).first()
            return self.ask(State.ASK_ROOM_TYPE, "error_room_too_small", offers=free,
                            room=room.name if room else "", max_guests=room.max_guests if room else 0,
                            guests=slots["guests"])
        if offer.available < 1:
            slots.pop("room_type")
            return self.ask(State.ASK_ROOM_TYPE, "unavailable", room=offer.room_type.name,
                            alternatives=free, **self.stay_context())
        if not slots.get("guest_name"):
            return self.ask(State.ASK_NAME, "ask_name")
        if not slots.get("guest_email"):
            return self.ask(State.ASK_EMAIL, "ask_email")
        if not self.guest_phone():
            return self.ask(State.ASK_PHONE, "ask_phone")
        return self.ask(
            State.CONFIRM_BOOKING, "booking_summary", offer=self.offer_context(offer),
            guest_name=slots["guest_name"], guest_email=slots["guest_email"], guest_phone=self.guest_phone(),
            **self.stay_context(),
        )

    def book(self) -> list[str]:
        if self.slots.get("reservation_code"):
            return self.booked_again()
        slots = self.slots
        required = ("check_in", "check_out", "guests", "room_type", "guest_name", "guest_email")
        if not all(slots.get(name) for name in required) or not self.guest_phone():
            return self.continue_booking()
        reference = uuid.uuid4().hex  # names this booking across retries, in case the PMS got it
        try:
            reservation = reservation_create(
                tenant=self.tenant, room_type=slots["room_type"], check_in=self.date_slot("check_in"),
                check_out=self.date_slot("check_out"), guests=slots["guests"],
                guest_name=slots["guest_name"], guest_email=slots["guest_email"],
                guest_phone=self.guest_phone(), source=self.conversation.channel,
                actor=f"guest:{self.conversation.guest_id}", client_reference=reference,
            )
        except PMSUnavailable:
            return self.defer_booking(reference)
        except ValidationError as error:
            return self.explain_invalid(error, rules.MAX_BOOKING_ADVANCE_DAYS)
        except Unavailable:
            return self.taken_meanwhile(slots.pop("room_type"))
        except LimitReached:
            return self.ask(State.IDLE, "limit_reached")
        except GuestNotAllowed:
            return self.ask(State.IDLE, "not_allowed")
        except ReservationError:
            logger.exception("booking failed for conversation %s", self.conversation.pk)
            return self.ask(State.IDLE, "error_generic")
        slots["reservation_code"] = reservation.code
        slots["my_codes"] = [*slots.get("my_codes", []), reservation.code][-20:]
        self.state = State.BOOKED
        return [self.say("booked", guest_link=guest_link_url(reservation),
                         **self.reservation_context(reservation))]

    def defer_booking(self, reference: str) -> list[str]:
        """Every rule passed but the PMS is down: keep the request, to be booked as
        soon as it is back, and say so. The guest hears the outcome later."""
        slots = self.slots
        pending_booking_create(
            tenant=self.tenant, client_reference=reference, source=self.conversation.channel,
            notify={"conversation_id": self.conversation.pk}, room_type=slots["room_type"],
            check_in=self.date_slot("check_in"), check_out=self.date_slot("check_out"),
            guests=slots["guests"], guest_name=slots["guest_name"], guest_email=slots["guest_email"],
            guest_phone=self.guest_phone(),
            actor=f"guest:{self.conversation.guest_id}",
        )
        slots["pending_booking"] = reference
        return self.ask(State.IDLE, "booking_pending", **self.stay_context())

    def taken_meanwhile(self, room_type_code: str) -> list[str]:
        """The last room went between the summary and the "yes": offer what is left."""
        availability, problem = self.check_availability()
        if problem:
            return problem
        free = [self.offer_context(o) for o in availability.offers if o.available > 0]
        if not free:
            return self.no_rooms_for_these_dates()
        room = room_types_for(tenant=self.tenant).filter(code=room_type_code).first()
        return self.ask(State.ASK_ROOM_TYPE, "unavailable", room=room.name if room else "", alternatives=free,
                        **self.stay_context())

    def no_rooms_for_these_dates(self) -> list[str]:
        """Nothing fits: say so for these dates and ask for others."""
        reply = self.ask(State.ASK_DATES, "unavailable", alternatives=[], **self.stay_context())
        for name in ("check_in", "check_out", "nights"):
            self.slots.pop(name, None)
        return reply

    def booked_again(self) -> list[str]:
        """A second "yes" (or a redelivered one) books nothing new."""
        code = self.slots.get("reservation_code")
        reservation = self.own_reservation(code) if code else None
        if reservation is None:
            return [self.say("anything_else")]
        return [self.say("booked", again=True, guest_link=guest_link_url(reservation),
                         **self.reservation_context(reservation))]

    def booking_declined(self) -> list[str]:
        return self.ask(State.IDLE, "booking_declined")

    def explain_invalid(self, error: ValidationError, max_advance_days: int) -> list[str]:
        """A service's field errors as one sentence about the first problem, and the
        question that fixes it. Field names and raw messages never reach the guest."""
        fields = set(getattr(error, "error_dict", {}) or {})
        slots = self.slots
        check_in, check_out = self.date_slot("check_in"), self.date_slot("check_out")
        if "guest_email" in fields:
            email = slots.pop("guest_email", "")
            return self.ask(State.ASK_EMAIL, "error_email", email=email)
        if "guest_phone" in fields:
            slots.pop("guest_phone", None)
            return self.ask(State.ASK_PHONE, "error_phone")
        if "guest_name" in fields:
            slots.pop("guest_name", None)
            return self.ask(State.ASK_NAME, "error_name")
        if fields & {"check_in", "check_out"}:
            for name in ("check_in", "check_out", "nights"):
                slots.pop(name, None)
            if "check_in" in fields and check_in and check_in < self.today:
                return self.ask(State.ASK_DATES, "error_date_past")
            if "check_in" in fields:
                return self.ask(State.ASK_DATES, "error_date_too_far", days=max_advance_days)
            if check_in and check_out and check_out <= check_in:
                return self.ask(State.ASK_DATES, "error_dates_order")
            return self.ask(State.ASK_DATES, "error_too_many_nights", max_nights=rules.MAX_NIGHTS)
        if "guests" in fields:
            guests = slots.pop("guests", 0)
            if rules.MIN_GUESTS <= guests <= rules.MAX_GUESTS and slots.get("room_type"):
                slots["guests"] = guests
                return self.continue_booking()
            return self.ask(State.ASK_GUESTS, "error_guests", min=rules.MIN_GUESTS, max=rules.MAX_GUESTS)
        if "room_type" in fields:
            slots.pop("room_type", None)
            return self.ask(State.ASK_ROOM_TYPE, "error_room_type", offers=[])
        return self.ask(State.IDLE, "error_generic")

    # --- existing reservations ---------------------------------------------

    def own_reservation(self, code: str) -> Reservation | None:
        """The reservation if this guest may see it: booked from the phone the
        channel vouches for, or booked in this very conversation. A typed email
        proves nothing, so it does not count. Unknown and foreign codes look alike."""
        try:
            reservation = reservation_get(tenant=self.tenant, code=code)
        except Reservation.DoesNotExist:
            return None
        if code in self.slots.get("my_codes", []):
            return reservation
        phone = self.conversation.guest_phone
        if not phone:
            return None
        with contextlib.suppress(ValidationError):
            phone = normalize_phone(phone, region=self.tenant.country)
        return reservation if reservation.guest_phone == phone else None

    def reservation_context(self, reservation: Reservation) -> dict:
        return {
            "code": reservation.code,
            "status": reservation.status,
            "cancelled": reservation.status == Reservation.Status.CANCELLED,
            "room": reservation.room_type.name,
            "check_in": self.day(reservation.check_in),
            "check_out": self.day(reservation.check_out),
            "nights": reservation.nights,
            "guests": reservation.guests,
            "guest_name": reservation.guest_name,
            "guest_email": reservation.guest_email,
            "total": replies.money(reservation.total, reservation.currency, self.language),
            "discount": replies.percent(reservation.discount_rate, self.language)
            if reservation.discount_rate else "",
        }

    def ask_code(self, purpose: str) -> list[str]:
        self.slots["code_for"] = purpose
        return self.ask(State.ASK_CODE, "ask_code", purpose=purpose)

    def show_status(self, code: str) -> list[str]:
        reservation = self.own_reservation(code)
        if reservation is None:
            return self.ask(State.IDLE, "not_found", code=code)
        return self.ask(State.IDLE, "status", **self.reservation_context(reservation))

    def ask_cancel_confirmation(self, code: str) -> list[str]:
        reservation = self.own_reservation(code)
        if reservation is None:
            return self.ask(State.IDLE, "not_found", code=code)
        if reservation.status == Reservation.Status.CANCELLED:
            return self.ask(State.IDLE, "cancelled", already=True, **self.reservation_context(reservation))
        self.slots["cancel_code"] = code
        return self.ask(State.CONFIRM_CANCEL, "cancel_confirm", **self.reservation_context(reservation))

    def cancel_confirmed(self) -> list[str]:
        code = self.slots.pop("cancel_code", "")
        if not code or self.own_reservation(code) is None:
            return self.ask(State.IDLE, "not_found", code=code)
        try:
            reservation = reservation_cancel(
                tenant=self.tenant, code=code, source=self.conversation.channel,
                actor=f"guest:{self.conversation.guest_id}",
            )
        except PMSUnavailable:
            return self.ask(State.IDLE, "pms_unavailable", cancelling=code)
        if self.slots.get("reservation_code") == code:
            self.slots.pop("reservation_code")
        return self.ask(State.IDLE, "cancelled", **self.reservation_context(reservation))

    def cancel_kept(self) -> list[str]:
        code = self.slots.pop("cancel_code", "")
        return self.ask(State.IDLE, "cancel_kept", code=code)

    # --- people ------------------------------------------------------------

    def hand_off(self) -> list[str]:
        """From here on staff answer; the agent stays quiet until they release it."""
        self.conversation.needs_staff = True
        metrics.handoffs.labels(tenant=self.tenant.slug).inc()
        return self.ask(State.IDLE, "handoff")
