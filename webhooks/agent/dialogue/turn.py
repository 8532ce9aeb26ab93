"""One guest message's worth of work on one conversation: what skills read and
write (the reading, the slots, the state) and how they speak (templates in the
guest's language, money and dates formatted for them, choices a phone can tap).
"""
from __future__ import annotations

import contextlib
import datetime
from functools import cached_property

from reservations import room_facts as facts
from reservations.selectors import WarmConfig, hotel_room_types, warm_config
from tenants.knowledge import knowledge_for
from webhooks.models import Conversation

from .. import replies
from ..reply import Choice, Reply
from ..state import DATA_STATES, Slots, State
from ..understanding.reading import Context, Reading


class Turn:
    def __init__(self, conversation: Conversation):
        self.conversation = conversation
        self.tenant = conversation.tenant
        self.today = self.tenant.local_today()
        self.slots = Slots.from_json(conversation.slots)
        self.state = State.load(conversation.state)
        self.started_in = self.state
        self.reading: Reading | None = None
        self.stale_since: datetime.datetime | None = None  # availability came from the PMS's last copy
        self.changed: set[str] = set()  # what this message changed in the booking
        self.new_wishes: list[str] = []  # wishes this message added ("con desayuno")
        self.retry: int | None = None  # set while re-asking after an answer we could not read
        self.reminder = False  # set while re-asking after answering something else
        self.unknown_room = False  # asked for a kind of room the hotel does not have
        self.preface: list[Reply] = []  # said before the skill's replies ("one room at a time")

    # --- the hotel -----------------------------------------------------------

    @cached_property
    def warm_config(self) -> WarmConfig:
        """The warm configuration, read once a turn: the rooms listed and the
        availability checked in the same message come from the same read."""
        return warm_config(tenant=self.tenant)

    @cached_property
    def room_types(self) -> list:
        return hotel_room_types(tenant=self.tenant, warm=self.warm_config)

    @cached_property
    def largest_room(self) -> int:
        """Guests the hotel's biggest room takes; 0 without room types."""
        return max((room_type.max_guests for room_type in self.room_types), default=0)

    @cached_property
    def rooms(self) -> list[facts.RoomFacts]:
        return [facts.room_facts(room_type) for room_type in self.room_types]

    def room(self, code: str | None):
        return next((rt for rt in self.room_types if rt.code == code), None)

    def room_label(self, code: str | None) -> str:
        room_type = self.room(code)
        return room_type.label(self.language) if room_type else ""

    @cached_property
    def knowledge(self) -> tuple:
        return knowledge_for(self.tenant)

    def reading_context(self) -> Context:
        return Context(
            today=self.today, language=self.language, state=self.state, anchor=self._anchor(),
            rooms=self.rooms, offered=self.slots.offered, choices=self.slots.choices,
            knowledge=self.knowledge, hotel_name=self.tenant.name,
            expecting_name=self.state == State.ASK_NAME,
            answering=self.state in DATA_STATES,
        )

    def _anchor(self) -> datetime.date | None:
        """The month days without one are read in: the stay's, or the one a vague
        answer ("unas 2 semanas en enero") was asked about."""
        if self.slots.check_in:
            return self.slots.check_in
        if self.state in (State.ASK_DATES, State.CONFIRM_DATES) and self.slots.date_options:
            with contextlib.suppress(ValueError, IndexError, TypeError):
                return datetime.date.fromisoformat(self.slots.date_options[0][0])
        return None

    # --- who the guest is ----------------------------------------------------

    @property
    def language(self) -> str:
        return self.conversation.language

    def guest_phone(self) -> str:
        """The number the guest typed when asked, else the one the channel gave."""
        return self.slots.guest_phone or self.conversation.guest_phone

    @property
    def actor(self) -> str:
        return f"guest:{self.conversation.guest_id}"

    # --- words ---------------------------------------------------------------

    def say(self, name: str, *, choices: tuple[Choice, ...] | list[Choice] = (), button: str = "",
            **context) -> Reply:
        text = replies.render(name, self.language, hotel=self.hotel_context(), **context)
        return Reply(text, choices, button=button)

    def ask(self, state: State, name: str, *, choices: tuple[Choice, ...] | list[Choice] = (),
            button: str = "", **context) -> list[Reply]:
        """Ask a question and remember it, so its answer is read as such and a
        question asked again is worded differently (`retry`: 0, 1, 2…). A message
        that changed the booking answered something: the same question after it
        ("which room?" once the party is 3, not 4) is asked afresh."""
        slots = self.slots
        again = slots.asked == name and self.started_in == state and not self.changed
        if not self.reminder:
            slots.repeats = slots.repeats + 1 if again else 0
        slots.asked = name
        self.state = state
        self.offer_choices(choices)
        retry = self.retry if self.retry is not None else slots.repeats
        return [self.say(name, choices=choices, button=button, retry=retry, reminder=self.reminder,
                         **context)]

    def offer_choices(self, choices) -> None:
        self.slots.choices = [choice.id for choice in choices]

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

    def short_day(self, value: datetime.date) -> str:
        return replies.short_date(value, self.language)

    def party_words(self) -> dict:
        """"2 personas + 1 bebé" whether or not the hotel counts the baby as a
        guest: where it does, `slots.guests` already holds it, and "3 + 1" would
        tell the guest we think four are coming."""
        slots = self.slots
        infants = slots.infants
        guests = slots.guests
        if guests and infants and self.tenant.infants_count_as_guests:
            guests = max(guests - infants, 1)
        return {"guests": guests, "infants": infants}

    def stay_context(self) -> dict:
        slots = self.slots
        context = self.party_words()
        if slots.check_in:
            context["check_in"] = self.day(slots.check_in)
        if slots.check_out:
            context["check_out"] = self.day(slots.check_out)
        if slots.stay_nights:
            context["nights"] = slots.stay_nights
        return context

    # --- saving --------------------------------------------------------------

    def save(self) -> None:
        conversation = self.conversation
        if self.state not in (State.OFFERED, State.ASK_ROOM_TYPE, State.BOOKED):
            self.slots.offered = []
        conversation.state = self.state
        conversation.slots = self.slots.to_json()
        if self.slots.guest_name:
            conversation.guest_name = self.slots.guest_name[:150]
        fields = ["language", "state", "slots", "needs_staff", "last_activity_at", "guest_name"]
        conversation.save(update_fields=fields if conversation.pk else None)
