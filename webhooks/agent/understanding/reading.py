"""One message, read: everything the rules (and, when they are unsure, the
optional LLM backend) found in it, as one value the dialogue decides on.

`read()` is pure apart from the LLM call: what it needs of the hotel (room
facts, knowledge base) and of the conversation (what was asked, the month being
discussed, the choices just offered) is passed in.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .contact import extract_code, extract_name, looks_like_a_name, read_contact, without_emails
from .dates import Stay, extract_stay
from .faq import match_faq, names_a_topic
from .intents import Intent, detect_intents
from .people import Party, read_party
from .room_choice import RoomChoice, choose_room, room_question
from .rooms import OCCUPANCY_WORDS, extract_room_type
from .text import expand_shorthand, fold, normalize
from .wishes import read_wishes


@dataclass(frozen=True)
class Context:
    """What the reading needs to know about the conversation and the hotel."""

    today: datetime.date
    language: str
    state: str = "idle"
    anchor: datetime.date | None = None  # check-in being discussed: "mejor del 14 al 16" stays in its month
    rooms: Sequence = ()  # RoomFacts of the hotel's room types
    offered: Sequence[str] = ()  # room codes just offered, in order
    choices: Sequence[str] = ()  # values of the numbered choices just offered
    knowledge: Sequence = ()  # the hotel's KnowledgeEntry rows
    hotel_name: str = ""
    expecting_name: bool = False
    # We asked for a name, an email or a phone: a message without "?" is its answer,
    # whatever it sounds like ("Pedro" is not "perro"). Other answers ("somos 2 y
    # un perro") may ask about the hotel on the way.
    answering: bool = False


@dataclass(frozen=True)
class Reading:
    text: str
    intents: frozenset[Intent] = frozenset()
    stay: Stay = field(default_factory=Stay)
    guests: int | None = None
    infants: int = 0
    room: object | None = None  # RoomChoice: code, how, candidates
    room_question: object | None = None  # RoomQuestion: code, asks, amenity
    name: str | None = None
    name_introduced: bool = False  # "soy Luis Pardo", not a bare "Luis Pardo" read as an answer
    email: str | None = None
    email_problem: str | None = None
    email_suggestion: str | None = None
    phone: str | None = None
    phone_problem: str | None = None
    code: str | None = None
    faq: object | None = None  # FaqMatch: entry, score — the best one
    faqs: tuple = ()  # every entry asked about, best first
    choice: str | None = None  # the value of a tapped or numbered choice
    number: int | None = None  # a message that is only a number ("2")
    rooms_wanted: int | None = None  # "2 habitaciones dobles": more than one room, booked one by one
    wishes: tuple[str, ...] = ()  # "con desayuno", "llegaremos tarde": for the hotel's staff

    def has(self, *intents: Intent) -> bool:
        return any(intent in self.intents for intent in intents)

    @property
    def room_code(self) -> str | None:
        return getattr(self.room, "code", None)

    @property
    def has_stay_details(self) -> bool:
        return bool(self.stay or self.stay.problem or self.guests or self.room_code)

    @property
    def has_contact(self) -> bool:
        return bool(self.name or self.email or self.phone)

    @property
    def says_something(self) -> bool:
        """The rules read something in it: an intent, stay details, contact, a code,
        a number or choice, a question about the hotel or a room, a date problem."""
        return bool(self.intents or self.has_stay_details or self.has_contact or self.code
                    or self.number or self.choice or self.faq or self.room_question or self.stay.problem)

    @property
    def is_question(self) -> bool:
        return is_question(self.text)

    def with_choice(self, value: str) -> Reading:
        """The reading a tapped choice stands for: "yes", a room, a date option."""
        kind, _sep, arg = value.partition(":")
        if kind == "yes":
            return replace(self, choice=value, intents=self.intents | {Intent.CONFIRM})
        if kind == "no":
            return replace(self, choice=value, intents=self.intents | {Intent.DECLINE})
        if kind == "room":
            return replace(self, choice=value, room=RoomChoice(arg, "choice", ()))
        if kind == "guests" and arg.isdigit():
            return replace(self, choice=value, guests=int(arg))
        return replace(self, choice=value)



_QUESTION_RE = re.compile(
    r"\?|^\W*(?:hay|tienen|teneis|tienes|se\s+puede|puedo|podemos|como|donde|cuando|cuanto|cuanta|que|cual"
    r"|aceptan|admiten|incluye|is|are|do|does|can|could|where|when|what|whats|how|which|will|any)\b"
)


def is_question(text: str) -> bool:
    return bool(_QUESTION_RE.search(fold(text)))


_BARE_NUMBER_RE = re.compile(r"^\W*(\d{1,2})\W*$")


def numbered_choice(text: str, choices: Sequence[str]) -> str | None:
    """"2" (or "la 2", "opción 2") right after a numbered list means its second item."""
    match = re.fullmatch(r"\W*(?:(?:la|el|opcion|option|numero|number|no\.?|n)\s*)?(\d{1,2})\W*", fold(text))
    if match and choices and 1 <= int(match.group(1)) <= len(choices):
        return choices[int(match.group(1)) - 1]
    return None


def base_reading(text: str, context: Context) -> Reading:
    """Intents, code and a bare number: what every reading starts from. (The
    language is settled by the engine before reading: readers use it.)"""
    number = _BARE_NUMBER_RE.match(text)
    return Reading(
        text=text,
        intents=frozenset(detect_intents(text)),
        code=extract_code(text),
        number=int(number.group(1)) if number else None,
    )


def read(text: str, context: Context, *, choice_id: str = "") -> Reading:
    """Everything one message says, for this conversation. Contact details are
    read as typed; everything else with phone shorthand spelled out (which never
    touches a reservation code)."""
    typed, text = text, expand_shorthand(text)
    reading = base_reading(text, context)
    party = read_party(text, context.language)
    contact = read_contact(typed, expecting_name=context.expecting_name)
    reading = replace(
        reading,
        stay=_settled(extract_stay(text, context.today, context.language, anchor=context.anchor)),
        guests=_guests(party),
        infants=party.infants if party else 0,
        name=contact.name,
        # Not asked for, a name is only ever read when introduced; asked for, check how it came.
        name_introduced=contact.name is not None
        and (not context.expecting_name or bool(extract_name(typed))),
        email=contact.email,
        email_problem=contact.email_problem,
        email_suggestion=contact.email_suggestion,
        phone=contact.phone,
        phone_problem=contact.phone_problem,
        rooms_wanted=rooms_wanted(text, context.language),
        wishes=read_wishes(typed),
    )
    reading = _read_rooms(reading, context)
    faqs = _read_faqs(_without_contact(text, contact.name), context)
    if faqs and getattr(reading.room_question, "code", None) is None:
        # "¿es accesible?" names no room: the hotel's own answer says more than room data.
        reading = replace(reading, faq=faqs[0], faqs=faqs, room_question=None)
    choice = choice_id if choice_id in context.choices else numbered_choice(text, context.choices)
    return reading.with_choice(choice) if choice else reading


_ROOMS_WANTED_RE = re.compile(r"\b(\d{1,2})\s+(?:habitacion(?:es)?|habs?|cuartos?|rooms?)\b")


def rooms_wanted(text: str, language: str) -> int | None:
    """"2 habitaciones dobles", "two rooms": how many rooms, when more than one."""
    found = _ROOMS_WANTED_RE.search(normalize(text, language))
    return int(found.group(1)) if found and 1 < int(found.group(1)) <= 10 else None


def _guests(party: Party | None) -> int | None:
    """Adults and children: babies in a cot are counted by the dialogue, per hotel."""
    if party is None:
        return None
    return ((party.adults or 0) + party.children) or None


def _settled(stay: Stay) -> Stay:
    """"en nochevieja" names one short stay (Dec 31 – Jan 1): no need to ask which days."""
    if stay.problem == "vague" and len(stay.options) == 1:
        check_in, check_out = stay.options[0]
        if check_in and check_out and 0 < (check_out - check_in).days <= 3:
            return Stay(check_in, check_out, (check_out - check_in).days)
    return stay


_PARTS_RE = re.compile(r"\s+(?:y|e|and|also|ademas|tambien)\s+|[,;?]+|\s+&\s+", re.IGNORECASE)


_BARE_NAME_RE = re.compile(r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?:\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+){1,3}")


def _without_contact(text: str, name: str | None) -> str:
    """What the hotel's answers are matched against: no email ("pedro.ruiz@…"),
    no name read, and nothing when the message is only a name written as one
    ("Pedro Ruiz" is not "perro")."""
    text = without_emails(text)
    if name:
        text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    bare = text.strip(" .,;:!")
    if _BARE_NAME_RE.fullmatch(bare) and looks_like_a_name(bare) and not names_a_topic(bare):
        return ""
    return text


def _read_faqs(text: str, context: Context) -> tuple:
    """The knowledge-base entries a message asks about: "¿tenéis parking y wifi?"
    asks two things. An answer to our question (a name, an email) asks nothing,
    whatever it sounds like ("Pedro" is not "perro")."""
    if not context.knowledge or (context.answering and not is_question(text)):
        return ()
    found = match_faq(text, context.knowledge, context.language)
    matches = [found] if found else []
    parts = [part for part in _PARTS_RE.split(text) if len(part.split()) >= 1]
    if len(parts) > 1:
        for part in parts:
            match = match_faq(part, context.knowledge, context.language)
            if match and all(match.entry.topic != other.entry.topic for other in matches):
                matches.append(match)
    return tuple(matches)


_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")


def _picked_beside_a_question(text: str, context: Context) -> RoomChoice | None:
    """"the queen please. is there wifi?": a room chosen in one sentence and
    something else asked in another is a choice (the question is the FAQ's), as
    long as no question is about a room."""
    sentences = [sentence for sentence in _SENTENCE_END_RE.split(text.strip()) if sentence]
    questions = [sentence for sentence in sentences if is_question(sentence)]
    if not questions or len(questions) == len(sentences):
        return None
    if any(room_question(question, context.rooms, language=context.language) for question in questions):
        return None
    for sentence in sentences:
        if sentence not in questions:
            choice = choose_room(sentence, context.rooms, language=context.language, offered=context.offered)
            if choice is not None and choice.code:
                return choice
    return None


def _read_rooms(reading: Reading, context: Context) -> Reading:
    """A question about a room is not a choice of it; a kind of room the hotel
    does not have is a choice we must refuse, not ignore."""
    if not context.rooms:
        return reading
    text = _without_hotel_name(reading.text, context.hotel_name)
    question = None
    if not (reading.stay or reading.stay.problem):  # "king room for new years eve?" shops, it asks nothing
        question = room_question(text, context.rooms, language=context.language)
    if question is not None:
        picked = _picked_beside_a_question(text, context)
        if picked is None:
            return replace(reading, room_question=question)
        return replace(reading, room=picked)
    choice = choose_room(text, context.rooms, language=context.language, offered=context.offered)
    if choice is None and extract_room_type(text, context.language) not in (None, *OCCUPANCY_WORDS):
        choice = RoomChoice(None, "unknown", ())
    return replace(reading, room=choice)


def _without_hotel_name(text: str, hotel_name: str) -> str:
    """"Harbor Inn" names the hotel, not its Harbor View Suite."""
    if not hotel_name:
        return text
    return re.sub(re.escape(hotel_name), " ", text, flags=re.IGNORECASE)
