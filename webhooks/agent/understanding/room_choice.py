"""Which room a guest means, and what they ask about a room, from their words.

Guests choose by description as often as by name: "la más barata", "the one
with the balcony", "esa", "la 2", "delux". Both readers are pure functions over
the hotel's RoomFacts, so what the agent understands and what it can say come
from the same facts. Call `room_question` first: "la estandar tiene balcon?"
names a room but is a question, not a choice.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from reservations.room_facts import RoomFacts

from .people import PARTY_IN_A_ROOM_RE
from .text import fold


@dataclass(frozen=True)
class RoomChoice:
    """`code` is the room chosen, or None when several fit (`candidates`, in the
    order they were offered or listed) or none does (`candidates` empty: the
    guest asked for something, a balcony say, that no room has)."""

    code: str | None
    how: str  # name, ordinal, same, feature, cheapest, priciest, largest
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class RoomQuestion:
    code: str | None  # None: about every room (or the guest did not say which)
    asks: str  # capacity, amenity, beds, size, description
    amenity: str | None = None


# --- names -----------------------------------------------------------------

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS = _words(
    "la el los las lo the a an de del con with y and room rooms habitacion habitaciones hab cuarto our en al "
    "of por para for in on mi my una un one que which that"
)
# Words that describe a room rather than name it; the feature readers handle them.
_FEATURE_WORDS = _words(
    "terraza terrace balcon balcony vista vistas view views mar sea ocean king queen twin doble dobles "
    "double cama camas bed beds sofa individual individuales single banera bathtub ducha shower ciudad city"
)
# Words guests use for the usual room type codes, whatever the hotel named them.
_CODE_WORDS = {
    "standard": ("standard", "estandar", "normal", "basica", "basic", "clasica", "classic"),
    "deluxe": ("deluxe", "lujo", "luxury"),
    "suite": ("suite", "suit"),
    "superior": ("superior",),
    "family": ("family", "familiar"),
    "junior": ("junior",),
}
_MIN_TOKEN = 3
_FUZZY_MIN_LENGTH = 5  # shorter aliases must be typed exactly
_FUZZY_SCORE = 85


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def _aliases(rooms: Sequence[RoomFacts]) -> dict[str, str]:
    """{word: room code} for the words that name exactly one of the hotel's rooms."""
    owners: dict[str, set[str]] = {}
    for room in rooms:
        words = set(_tokens(room.code.replace("-", " ").replace("_", " ")))
        for name in (room.name, *room.names.values()):
            words.update(_tokens(name))
        for code_word in list(words):
            words.update(_CODE_WORDS.get(code_word, ()))
        for word in words - _STOPWORDS - _FEATURE_WORDS:
            if len(word) >= _MIN_TOKEN and not word.isdigit():
                owners.setdefault(word, set()).add(room.code)
    return {word: next(iter(codes)) for word, codes in owners.items() if len(codes) == 1}


def _named(text: str, rooms: Sequence[RoomFacts]) -> list[str]:
    """The rooms the text names, by code or name in any language, typos allowed."""
    aliases = _aliases(rooms)
    found: set[str] = set()
    for token in _tokens(text):
        if token in aliases:
            found.add(aliases[token])
            continue
        if len(token) < _MIN_TOKEN + 1 or token in _STOPWORDS:
            continue
        for alias, code in aliases.items():
            if len(alias) >= _FUZZY_MIN_LENGTH and fuzz.ratio(token, alias) >= _FUZZY_SCORE:
                found.add(code)
    return [room.code for room in rooms if room.code in found]


# --- features --------------------------------------------------------------

AMENITY_PATTERNS: dict[str, str] = {
    "balcony": r"\bbalcon\w*|\bbalkon\w*",
    "terrace": r"\bterra(?:z|c|s)\w*",
    "sea_view": r"\bvistas? (?:al|hacia el|del|de el|sobre el) (?:mar|oceano|puerto)\b|\bvista mar\b"
                r"|\bfrente al mar\b|\b(?:sea|ocean|harbou?r|water) ?(?:front|views?)\b"
                r"|\bviews? (?:of|to|over|on) the (?:sea|ocean|harbou?r|water|bay)\b",
    "city_view": r"\bvistas? (?:a|de|sobre) la ciudad\b|\bcity ?views?\b|\bviews? (?:of|over) the city\b",
    "bathtub": r"\bbany?i?eras?\b|\bbath ?tubs?\b|\btubs?\b|\bjacuzzi\b|\btina\b|\bsoaking\b",
    "walk_in_shower": r"\bduchas?\b|\bshowers?\b|\bwalk-? ?in\b",
    "kitchenette": r"\bcocin\w*|\bkitchen\w*",
    "air_conditioning": r"\baire(?: acondicionado)?\b|\bclimatiza\w*|\bair ?con\w*|\ba/c\b",
    "heating": r"\bcalefac\w*|\bheat(?:ing|er)\b",
    "desk": r"\bescritorio\b|\bmesa de trabajo\b|\bdesk\b|\bwork ?space\b",
    "sofa": r"\bsofa\b(?! ?(?:cama|bed))|\bcouch\b",
    "minibar": r"\bmini ?bar\b|\bnevera\b|\bfrigo\w*|\bfridge\b",
    "coffee_machine": r"\bcafetera\b|\bcoffee ?(?:machine|maker)\b|\bnespresso\b|\bmaquina de cafe\b",
    "accessible": r"\bacc?esib\w*|\badaptad\w*|\bsilla de ruedas\b|\bwheel ?chair\w*|\bmovilidad reducida\b"
                  r"|\bdisabled\b",
    "connecting": r"\bcomunicad\w*|\bconectad\w*|\bconnect(?:ing|ed)\b|\badjoining\b",
    "crib_available": r"\bcunas?\b|\bcribs?\b|\bcots?\b|\bbaby bed\b",
}
_MATRIMONIAL = frozenset({"double", "queen", "king", "double_sofa_bed", "two_doubles"})
# First match wins: the specific before the general.
BED_PATTERNS: list[tuple[str, frozenset[str]]] = [
    (r"\b(?:2|dos|two) (?:camas? )?dobles\b|\b(?:2|two) doubles?(?: beds?)?\b"
     r"|\b(?:2|two) queens\b|\b(?:2|two) queen beds\b"
     r"|\bdos camas de matrimonio\b", frozenset({"two_doubles"})),
    (r"\b(?:2|dos|two) (?:camas? )?(?:individuales|separadas|sencillas|singles?)\b"
     r"|\b(?:2|two|dos) (?:single|separate|individual) beds?\b|\btwin\w*|\bcamas separadas\b"
     r"|\bseparate beds\b",
     frozenset({"twin"})),
    (r"\b(?:2|dos|two) (?:camas|beds)\b", frozenset({"twin", "two_doubles"})),
    (r"\bsofa ?cama\b|\bsofa ?bed\b|\bpull-? ?out\b", frozenset({"double_sofa_bed"})),
    (r"\bking\b", frozenset({"king"})),
    (r"\bqueen\b", frozenset({"queen"})),
    (r"\bmatrimoni\w*|\bcama (?:doble|grande)\b|\bdouble bed\b|\ba double\b|\b(?:big|large) bed\b"
     r"|\bcama para (?:2|dos)\b", _MATRIMONIAL),
    (r"\bcama individual\b|\bsingle bed\b", frozenset({"single", "twin"})),
]
_NEGATION = re.compile(
    r"(?:\b(?:sin|without|no|not|nada de)|n't)(?:\s+(?!(?:la|el|the|con|with|de|one|that|a)\b)\w+){0,2}\s+$"
)


@dataclass(frozen=True)
class _Wanted:
    amenities: frozenset[str] = frozenset()
    unwanted: frozenset[str] = frozenset()
    beds: frozenset[str] | None = None

    def __bool__(self) -> bool:
        return bool(self.amenities or self.unwanted or self.beds is not None)

    def fits(self, room: RoomFacts) -> bool:
        return (self.amenities <= set(room.amenities) and not self.unwanted & set(room.amenities)
                and (self.beds is None or room.beds in self.beds))


def _amenities_in(folded: str) -> tuple[set[str], set[str]]:
    wanted, unwanted = set(), set()
    for key, pattern in AMENITY_PATTERNS.items():
        for match in re.finditer(pattern, folded):
            negated = _NEGATION.search(folded[max(0, match.start() - 24):match.start()])
            (unwanted if negated else wanted).add(key)
    return wanted - unwanted, unwanted


def _beds_in(folded: str) -> frozenset[str] | None:
    for pattern, beds in BED_PATTERNS:
        if re.search(pattern, folded):
            return beds
    return None


def _wanted(folded: str) -> _Wanted:
    beds = _beds_in(folded)
    if beds is not None:
        # "sofa cama" and "two singles" are beds, not the sofa or a single room.
        folded = re.sub(r"\bsofa ?(?:cama|bed)\b", " ", folded)
    wanted, unwanted = _amenities_in(folded)
    return _Wanted(frozenset(wanted), frozenset(unwanted), beds)


# --- superlatives, ordinals, "that one" -------------------------------------

_SUPERLATIVES = [
    ("cheapest", r"\b(?:b|v)arat\w*|\beconomic\w*|\bmenos car[oa]s?\b|\bcheap\w*|\bleast expensive\b"
                 r"|\blowest (?:price|rate)\b|\bmost affordable\b|\bbudget\b|\binexpensive\b"
                 r"|\b(?:mejor|best|lowest|better) (?:precio|price|rate|tarifa|deal)\b"),
    ("largest", r"\bmas (?:ampli|grande|espacios)\w*|\bla grande\b|\bel grande\b|\bbiggest\b|\blargest\b"
                r"|\bmost spacious\b|\broomiest\b|\bbigger\b|\blarger\b|\bbig one\b|\bmas espacio\b"
                r"|\bmore space\b|\bmost space\b"),
    ("priciest", r"\bmas car[oa]s?\b|\b(?:la|el|lo) mejor\b|\bmost expensive\b|\bpriciest\b|\bthe best\b"
                 r"|\bbest (?:one|room)\b|\bmas lujos\w*|\bmost luxurious\b|\bfanciest\b|\btop\b"),
]
_ORDINAL_WORDS = [
    (1, r"primer[oa]?|first|former"), (2, r"segund[oa]|second"), (3, r"tercer[oa]?|third"),
    (4, r"cuarta|fourth"), (-1, r"ultim[oa]|last|latter"),
    (0, r"middle|del medio|de en medio|de enmedio|intermedi[oa]"),  # of three offers, the second
]
_NOT_A_ROOM = r"(?!\s+(?:noche|night|semana|week|dia|day|vez|time|quincena|fin|de (?:julio|agosto|mes)))"
_BARE_NUMBER = re.compile(
    r"^(?:(?:ok|vale|si|yes|dale|pues)\s+)*"
    r"(?:(?:quiero|me quedo con|i ?(?:'ll|will)? take|i want|dame|give me)\s+)?"
    r"(?:(?:la|el|the|opcion|option|numero|number|nro|num|no|n|#)\.?\s*)*(\d|uno|una|dos|tres|cuatro|two|three"
    r"|four)(?:st|nd|rd|th|a|o)?"
    r"(?:\s+(?:one|opcion|option|por favor|porfa|please|pls))*$"
)
_NUMBER_WORDS = {"uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "two": 2, "three": 3, "four": 4}
_SAME_STRONG = re.compile(
    r"\b(?:esa|esta|ese|este|la|el|lo) mism[oa]\b"
    r"|\bla que (?:me )?(?:dijiste|has dicho|mencionaste|comentaste|ofreciste|recomendaste|propusiste)\b"
    r"|\bthe (?:one|room) you (?:just )?(?:said|mentioned|suggested"
    r"|offered|recommended|proposed|told me)\b|\bthat one\b|\bthis one\b|\bthe same\b|\bsame (?:one|room)\b"
    r"|\besa (?:habitacion|opcion)\b|\bthat (?:room|option)\b"
)
_SAME_WEAK = re.compile(
    r"^(?:(?:ok|vale|si|yes|yeah|dale|perfecto|genial|great|bueno)\s+)*"
    r"(?:(?:quiero|me quedo(?: con)?|reservame|reserva|dame|i ?(?:'ll|will)? take|i want|book|give me)\s+)?"
    r"(?:esa|ese|esta|este|that|this)(?:\s+(?:por favor|porfa|pls|please))?$"
)


def _plain(text: str) -> str:
    """Folded, punctuation as spaces (apostrophes, # and / kept), single spaces."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w#/'\s]", " ", fold(text))).strip()


def _ordinal(plain: str, offered: Sequence[str]) -> str | None:
    if not offered:
        return None
    plain = PARTY_IN_A_ROOM_RE.sub(" ", plain)
    position = None
    if match := _BARE_NUMBER.match(plain):
        word = match.group(1)
        position = int(word) if word.isdigit() else _NUMBER_WORDS[word]
    else:
        for number, words in _ORDINAL_WORDS:
            if re.search(rf"\b(?:{words})\b{_NOT_A_ROOM}", plain):
                position = number
                break
    if position is None:
        return None
    if position == -1:
        return offered[-1]
    if position == 0:
        return offered[len(offered) // 2] if len(offered) % 2 and len(offered) > 1 else None
    return offered[position - 1] if 1 <= position <= len(offered) else None


def by_position(text: str, options: Sequence[str]) -> str | None:
    """"la primera", "the last one", "la 2": the option at that place in `options`
    (rooms offered, reservations booked), or None."""
    return _ordinal(_plain(text), options)


def _same(plain: str, offered: Sequence[str]) -> str | None:
    """"esa", "that one": the room offered last (the only one, when one was offered)."""
    if offered and (_SAME_STRONG.search(plain) or _SAME_WEAK.match(plain)):
        return offered[-1]
    return None


def _pick(how: str, rooms: Sequence[RoomFacts]) -> RoomFacts:
    if how == "cheapest":
        return min(rooms, key=lambda room: room.base_rate)
    if how == "priciest":
        return max(rooms, key=lambda room: room.base_rate)
    return max(rooms, key=lambda room: (room.size_m2 or 0, room.max_guests))


def _superlative(plain: str) -> str | None:
    for how, pattern in _SUPERLATIVES:
        if re.search(pattern, plain):
            return how
    return None


def _codes(rooms: Iterable[RoomFacts]) -> tuple[str, ...]:
    return tuple(room.code for room in rooms)


def _narrow(how: str, rooms: list[RoomFacts], plain: str) -> RoomChoice:
    """Several rooms fit: a feature or superlative in the same message may settle it."""
    if len(rooms) == 1:
        return RoomChoice(rooms[0].code, how, _codes(rooms))
    wanted = _wanted(plain)
    if wanted and (fitting := [room for room in rooms if wanted.fits(room)]):
        rooms, how = fitting, "feature"
    if len(rooms) > 1 and (superlative := _superlative(plain)):
        return RoomChoice(_pick(superlative, rooms).code, superlative, _codes(rooms))
    return RoomChoice(rooms[0].code if len(rooms) == 1 else None, how, _codes(rooms))


def choose_room(
    text: str, rooms: Sequence[RoomFacts], *, language: str, offered: Sequence[str] = (),
) -> RoomChoice | None:
    """The room the guest picks in `text`, out of the hotel's `rooms`; `offered`
    are the codes the agent last listed, in the order it listed them."""
    if not rooms or not (text or "").strip():
        return None
    by_code = {room.code: room for room in rooms}
    offered = [code for code in offered if code in by_code]
    plain = _plain(text)

    named = _named(plain, rooms)
    if named:
        return _narrow("name", [by_code[code] for code in named], plain)
    if code := _ordinal(plain, offered):
        return RoomChoice(code, "ordinal", (code,))

    pool = [by_code[code] for code in offered] or list(rooms)
    wanted = _wanted(plain)
    superlative = _superlative(plain)
    if wanted:
        fitting = [room for room in pool if wanted.fits(room)]
        if not fitting and len(pool) < len(rooms):
            fitting = [room for room in rooms if wanted.fits(room)]
        if not fitting:
            return RoomChoice(None, "feature", ())
        if superlative and len(fitting) > 1:
            return RoomChoice(_pick(superlative, fitting).code, superlative, _codes(fitting))
        return RoomChoice(fitting[0].code if len(fitting) == 1 else None, "feature", _codes(fitting))
    if code := _same(plain, offered):
        return RoomChoice(code, "same", (code,))
    if superlative:
        return RoomChoice(_pick(superlative, pool).code, superlative, _codes(pool))
    return None


# --- questions -------------------------------------------------------------

_QUESTION_START = re.compile(
    r"^(?:(?:y|and|hey|hola|hi|oye|ok|vale|una pregunta|pregunta)\s+)*(?:que|cual|cuales|como|cuant\w*|donde"
    r"|hay|tiene|tienen|trae|incluye|does|do|is|are|has|have|how|what|whats|which|can|could|will|would)\b"
)
_HAS = re.compile(r"(?<!\bque )(?<!\bthat )(?<!\bwhich )\b(?:tiene|tienen|trae|incluye|has|have)\b")
_ASKS_BEDS = re.compile(
    r"\bcamas?\b|\bbeds?\b|\bking\b|\bqueen\b|\btwin\b|\bsofa ?cama\b|\bmatrimoni\w*|\bindividuales\b"
)
_ASKS_SIZE = re.compile(
    r"\btamano\b|\bcuanto mide\b|\bque tan (?:grande|amplia?|espaciosa?)\b|\bmetros\b|\bm2\b|\bmts\b"
    r"|\bsq ?ft\b|\bsquare (?:feet|foot|meters|metres)\b|\bhow (?:big|large|spacious|small)\b|\bsize\b"
    r"|\bes (?:grande|amplia|pequena|chica)\b|\bis it (?:big|large|small|spacious)\b|\bdimensiones\b"
    r"|\bsuperficie\b|\bfootage\b"
)
_ASKS_CAPACITY = re.compile(
    r"\bcuant[oa]s? (?:personas|gente|huespedes|adultos|pax|people)\b|\bcaben\b|\bcabemos\b|\bcabe\b"
    r"|\bentramos\b|\bcapacidad\b|\bpara cuant[oa]s\b|\bhasta cuant[oa]s\b|\bmaximo de personas\b"
    r"|\bhow many (?:people|guests|persons|adults|of us|pax)\b|\bfits?\b|\bsleeps?\b|\bcapacity\b"
    r"|\boccupancy\b|\bmax(?:imum)? (?:guests|people|persons)\b"
    r"|\bcan (?:\d+|we|us)(?: (?:people|of us|adults|persons))? (?:stay|sleep|fit)\b"
)
_ASKS_DESCRIPTION = re.compile(
    r"\bcomo es\b|\bcomo son\b|\bque (?:tiene|incluye|trae|ofrece)\b|\bwhat(?:'s| is)? (?:\w+ ){0,3}like\b"
    r"|\btell me (?:more )?about\b|\bdescri\w*|\bdetalles?\b|\bdetails?\b"
    r"|\bwhat does (?:\w+ ){0,3}(?:have|include|come with|offer)\b|\bwhat(?:'s| is) (?:in|included)\b"
    r"|\bdiferencia\b|\bdifference\b|\bcuentame\b|\bmas info\w*|\bmore info\w*"
)


_CHOOSING = re.compile(
    r"\b(?:quiero|quisiera|me das|dame|me quedo|reserv\w*|book|i ?'?ll take|i want|i ?'?d like|prefiero"
    r"|i prefer|give me)\b(?! saber| to know| si\b)"
)


_QUESTION_END = re.compile(r"\b(?:cual|cuales|cual es|which|which ones?)$")  # "y con bañera cual"


def _is_question(text: str, plain: str) -> bool:
    return "?" in text or "¿" in text or bool(
        _QUESTION_START.match(plain) or _HAS.search(plain) or _QUESTION_END.search(plain))


_ANY_VIEW = re.compile(r"\bviews?\b|\bvistas?\b")


def _view_of(code: str | None, rooms: Sequence[RoomFacts]) -> str:
    """"does it have a view?": the view that room has, else the one rooms have at all."""
    for room in rooms:
        if code in (None, room.code):
            for view in ("sea_view", "city_view"):
                if view in room.amenities:
                    return view
    return "sea_view"


def _without_names(plain: str, rooms: Sequence[RoomFacts]) -> str:
    """"does the standard queen have a tub?" asks about a tub: the bed word is the room's name."""
    for room in rooms:
        for name in {room.name, *room.names.values()}:
            if name:
                plain = plain.replace(_plain(name), " ")
    return plain


def room_question(text: str, rooms: Sequence[RoomFacts], *, language: str) -> RoomQuestion | None:
    """What the guest asks about a room (or every room), or None when the text
    is not a question about rooms."""
    if not (text or "").strip():
        return None
    plain = _plain(text)
    question = _is_question(text, plain)
    named = _named(plain, rooms)
    code = named[0] if len(named) == 1 else None
    if _ASKS_CAPACITY.search(plain):
        return RoomQuestion(code, "capacity")
    if _ASKS_BEDS.search(_without_names(plain, rooms)) and question:
        return RoomQuestion(code, "beds")
    if _ASKS_SIZE.search(plain) and (question or code):
        return RoomQuestion(code, "size")
    question = question and not _CHOOSING.search(plain)
    if question:
        wanted, unwanted = _amenities_in(plain)
        amenities = [key for key in AMENITY_PATTERNS if key in wanted | unwanted]
        if amenities:
            return RoomQuestion(code, "amenity", amenities[0])
        if _ANY_VIEW.search(plain):
            return RoomQuestion(code, "amenity", _view_of(code, rooms))
    if _ASKS_DESCRIPTION.search(plain) and (question or named):
        return RoomQuestion(code, "description")
    return None
