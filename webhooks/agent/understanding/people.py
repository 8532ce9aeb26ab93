"""How many guests a message speaks of, and who they are.

Guests rarely say "2 adults": they say "my husband and I", "family of four, two
of them children", "x3" or "vamos en pareja". Rules here read a party from the
normalized text and blank what they read, so the date rules never take a party
size for a day of the month."""
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .durations import strip_nights
from .numbers import words_to_digits
from .text import blank, normalize


@dataclass(frozen=True)
class Party:
    """Who is coming. `adults` is None when only children or babies were mentioned;
    when a total includes children without saying how many ("somos 4 con los
    niños"), the whole total is in `adults`."""

    adults: int | None
    children: int = 0
    infants: int = 0

    def guests(self, *, infants_count: bool) -> int:
        """Children always take a place; a baby in a cot only if the hotel counts it."""
        return (self.adults or 0) + self.children + (self.infants if infants_count else 0)


_ADULT_WORDS = (
    "adultos", "adulto", "adults", "adult", "personas", "persona", "persons", "person", "people", "pers",
    "huespedes", "huesped", "guests", "guest", "pax", "ppl", "gente", "mayores", "grown-ups", "grownups",
)
_CHILD_WORDS = (
    "ninos", "ninas", "nino", "nina", "nenes", "nenas", "nene", "nena", "hijos", "hijas", "hijo", "hija",
    "children", "child", "kids", "kid", "menores", "menor", "crios", "peques", "chavales", "teens",
    "teenagers", "adolescentes",
)
_INFANT_WORDS = ("bebes", "bebe", "babies", "baby", "infants", "infant", "lactantes", "lactante")
_COUPLE_WORDS = ("parejas", "pareja", "couples", "couple", "matrimonios", "matrimonio")
_COUNT_VOCABULARY = _ADULT_WORDS + _CHILD_WORDS + _INFANT_WORDS + _COUPLE_WORDS

# Who travels with the guest: one person, a pair ("mis padres") or a plural whose size
# needs a number ("mis 2 hijos").
_RELATIONS_ONE = (
    "mujer", "esposa", "esposo", "marido", "pareja", "novia", "novio", "prometida", "prometido", "amiga",
    "amigo", "companera", "companero", "colega", "jefa", "jefe", "madre", "padre", "mama", "papa", "hermana",
    "hermano", "prima", "primo", "tia", "tio", "abuela", "abuelo", "suegra", "suegro", "sobrina", "sobrino",
    "cunada", "cunado", "wife", "husband", "hubby", "wifey", "partner", "girlfriend", "boyfriend", "gf", "bf",
    "fiance", "fiancee", "friend", "mate", "buddy", "colleague", "coworker", "boss", "mother", "father",
    "mom", "mum", "dad", "sister", "brother", "cousin", "aunt", "uncle", "grandma", "grandpa", "grandmother",
    "grandfather", "mother-in-law", "father-in-law",
)
_RELATIONS_CHILD = (
    "hijo", "hija", "hijos", "hijas", "nino", "nina", "ninos", "ninas", "nene", "nena", "nenes", "peque",
    "peques", "nieto", "nieta", "nietos", "nietas", "son", "daughter", "sons", "daughters", "kid", "kids",
    "child", "children", "boy", "girl", "boys", "girls", "grandson", "granddaughter", "grandchildren",
)
_RELATIONS_INFANT = ("bebe", "bebes", "baby", "babies")
_RELATIONS_PAIR = ("padres", "abuelos", "suegros", "parents", "grandparents", "in-laws", "inlaws")
_RELATIONS_MANY = (
    "amigos", "amigas", "hermanos", "hermanas", "primos", "primas", "tios", "sobrinos", "companeros",
    "colegas", "friends", "colleagues", "coworkers", "brothers", "sisters", "cousins",
)
_RELATION_VOCABULARY = (
    _RELATIONS_ONE + _RELATIONS_CHILD + _RELATIONS_INFANT + _RELATIONS_PAIR + _RELATIONS_MANY
)


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


_COUNT = r"(?:\b(\d{1,2})\s*|\b(una?|an?|one)\s+)"
_SMALL = r"(?:(?:small|little|young|pequen[oa]s?|peques?)\s+)?"
_COUPLE_NOT_PEOPLE = r"(?!\s+(?:of|de)\s+(?!us\b|people\b|adults\b|guests\b|personas\b|adultos\b))"
_COUNT_ITEM_RE = re.compile(
    rf"{_COUNT}{_SMALL}(?:({_alternation(_ADULT_WORDS)})|({_alternation(_CHILD_WORDS)})"
    rf"|({_alternation(_INFANT_WORDS)})|({_alternation(_COUPLE_WORDS)}){_COUPLE_NOT_PEOPLE})\b"
)
# "quiero hablar con una persona" asks for a human, not a room for one.
_HUMAN_RE = re.compile(
    r"\b(?:hablar|habla|hable|speak|talk|chat)\s+(?:con|to|with)\s+(?:una?|an?|1)\s+(?:persona|person|human)"
    r"|\b(?:persona|person)\s+(?:real|humana)|\breal\s+person\b"
)
_SUBSET_RE = re.compile(
    rf"\b(\d{{1,2}})\s+(?:of\s+(?:them|whom|which)|de\s+(?:ell[oa]s|los\s+cuales|nosotr[oa]s))\s+"
    rf"(?:are\s+|son\s+|being\s+)?(?:{_alternation(_CHILD_WORDS)})\b"
    rf"|\b(?:including|incl\.?|incluidos?|incluidas?|incluyendo|contando)\s+(?:a\s+|los\s+|las\s+)?(\d{{1,2}})\s+"
    rf"(?:{_alternation(_CHILD_WORDS)})\b"
)
# What a number next to a party word may not be followed by: it counts nights, rooms,
# hours, money or a day of the month.
_NOT_PEOPLE_AFTER = (
    r"(?!\s*(?:/|-\s*\d|\.\d|:|,\d|noches?|nights?|dias?|days?|semanas?|weeks?|mes(?:es)?\b|months?"
    r"|am\b|pm\b|h\b|hrs?\b|horas?|hours?|anos|years?|eur|euros?|€|\$|usd|dolares|dollars?|%|o'?clock"
    r"|habitacion|habitaciones|hab\b|rooms?|camas?|beds?|estrellas|stars?|minutos?|minutes?|th\b|st\b|nd\b"
    r"|rd\b|de\s+la\s+(?:manana|tarde|noche)))"
)
# "3 en la primera", "2 in the first one": who goes in the room being booked, when
# a party shares several; "la primera" there is that room, not the first offer.
PARTY_IN_A_ROOM_RE = re.compile(
    r"\b(\d{1,2}|dos|tres|cuatro|two|three|four)\s+(?:personas?\s+|people\s+|guests?\s+|of\s+us\s+)?"
    r"(?:en|in)\s+(?:la|el|the)\s+(?:primer[oa]?|first|1a|1st)(?:\s+(?:one|room|habitacion))?\b"
)
_TOTAL_PATTERNS = [
    PARTY_IN_A_ROOM_RE,
    re.compile(r"\b(\d{1,2})\s+(?:of\s+us|de\s+nosotr[oa]s)\b"),
    re.compile(
        r"\b(?:family|familia|party|group|grupo|table|mesa)\s+(?:of|de)\s+(\d{1,2})\b" + _NOT_PEOPLE_AFTER
    ),
    re.compile(
        r"\b(?:somos|semos|seremos|seriamos|fuesemos|fueramos|vamos|venimos|iremos|iriamos|viajamos|viajariamos"
        r"|estaremos|estariamos|vamos\s+a\s+ser|we\s+are|we'?re|we\s+will\s+be|we\s+would\s+be|we'?d\s+be"
        r"|we'?ll\s+be|there\s+will\s+be|there'?ll\s+be|there\s+are|it'?s|it\s+will\s+be)\s+"
        r"(?:los\s+|las\s+|nosotr[oa]s\s+|just\s+|only\s+|solo\s+)?(\d{1,2})\b" + _NOT_PEOPLE_AFTER
    ),
    re.compile(r"\b(?:para|pa'?|for)\s+(\d{1,2})\b(?!\s*(?:de\b|del\b(?!\s+\d)|of\b))" + _NOT_PEOPLE_AFTER),
    re.compile(r"(?<![\w.])x\s?(\d{1,2})\b" + _NOT_PEOPLE_AFTER),
]
_ALONE_RE = re.compile(
    r"\b(?:solo\s+yo|yo\s+sol[oa]|solo\s+para\s+mi|para\s+mi\s+sol[oa]|para\s+mi\s+nada\s+mas|voy\s+sol[oa]"
    r"|viajo\s+sol[oa]|vengo\s+sol[oa]|just\s+me|only\s+me|just\s+myself|only\s+myself|me\s+alone|by\s+myself"
    r"|on\s+my\s+own|travell?ing\s+(?:alone|solo)|i'?m\s+alone|i\s+am\s+alone|just\s+1\s+(?:person|guest))\b"
)
_COUPLE_RE = re.compile(
    r"\b(?:en\s+pareja|(?:somos|vamos|seremos)\s+pareja|as\s+a\s+couple|(?:we'?re|we\s+are)\s+a\s+couple)\b"
)
_SPEAKER = r"yo|me|i|myself|mi(?=\s+(?:y|e|con|and)\b|\s*[.,;!?]|\s*$)"  # "para mí y mi hija"
_POSSESSIVE = r"mis?|my|our|nuestr[oa]s?"
_PEOPLE_ITEM_RE = re.compile(
    rf"\b(?:(?:{_POSSESSIVE})\s+(?:(\d{{1,2}})\s+)?{_SMALL}({_alternation(_RELATION_VOCABULARY)})|({_SPEAKER}))\b"
)
_CHAIN_GAP_RE = re.compile(
    r"(?:\s|,|&|\+|\by\b|\be\b|\band\b|\bcon\b|\bwith\b|\bplus\b|\bmas\b|\bpara\b|\bfor\b)*"
)  # "para mi mujer y para mí"
_WITH_BEFORE_RE = re.compile(r"\b(?:con|with|junto\s+a|along\s+with|together\s+with)\s*$")
_WE_BEFORE_RE = re.compile(
    r"\b(?:somos|seremos|seriamos|vamos|venimos|iremos|iriamos|viajamos|we\s+are|we'?re|we\s+will\s+be"
    r"|we'?ll\s+be|we\s+would\s+be|we'?d\s+be|it'?s|it\s+will\s+be|it'?ll\s+be|just)\s*$"
)
_FOR_BEFORE_RE = re.compile(r"\b(?:para|for)\s*$")
_TYPO_RE = re.compile(rf"\b(?:(\d{{1,2}})\s*|(una?|an?)\s+|({_POSSESSIVE})\s+)([a-z]{{4,}})\b")


def _fix_typo(match: re.Match) -> str:
    """"2 adultls", "3 persnas", "my husbnd": the word after a count or a possessive
    is compared with the party words only, so unrelated words never change."""
    word = match.group(4)
    vocabulary = _RELATION_VOCABULARY if match.group(3) else _COUNT_VOCABULARY
    if word in vocabulary:
        return match.group(0)
    best = process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=80)
    if not best:
        return match.group(0)
    return match.group(0)[: match.start(4) - match.start(0)] + best[0]


def _prepare(text: str, language: str) -> str:
    text = (text or "").replace("’", "'").replace("´", "'")
    normalized = normalize(words_to_digits(text, language), language)
    normalized = _TYPO_RE.sub(_fix_typo, normalized)
    return strip_nights(normalized)[0]


def _count(digits: str | None) -> int:
    return int(digits) if digits else 1


def _strip_subset(text: str) -> tuple[str, int]:
    found = 0
    for match in _SUBSET_RE.finditer(text):
        found = found or _count(match.group(1) or match.group(2))
        text = blank(text, match.start(), match.end())
    return text, found


def _strip_counts(text: str) -> tuple[str, tuple[int, int, int]]:
    """Explicit "N adults / N children / N babies / N couples", added up."""
    adults = children = infants = 0
    for match in _COUNT_ITEM_RE.finditer(text):
        number = _count(match.group(1))
        if match.group(3):
            adults += number
        elif match.group(4):
            children += number
        elif match.group(5):
            infants += number
        else:
            adults += 2 * number
        text = blank(text, match.start(), match.end())
    return text, (adults, children, infants)


def _strip_total(text: str) -> tuple[str, int | None]:
    found = None
    for pattern in _TOTAL_PATTERNS:
        for match in pattern.finditer(text):
            found = found or int(match.group(1)) or None
            text = blank(text, match.start(), match.end())
    return text, found


def _chains(text: str) -> list[list[re.Match]]:
    """People named next to each other ("my wife, my 2 kids and me")."""
    chains: list[list[re.Match]] = []
    for match in _PEOPLE_ITEM_RE.finditer(text):
        if chains and _CHAIN_GAP_RE.fullmatch(text[chains[-1][-1].end():match.start()]):
            chains[-1].append(match)
        else:
            chains.append([match])
    return chains


def _relation_count(match: re.Match) -> tuple[int, int, int] | None:
    """(adults, children, infants) one named companion stands for; None for a plural without a number."""
    word, digits = match.group(2), match.group(1)
    if word in _RELATIONS_PAIR:
        return (int(digits) if digits else 2), 0, 0
    if word in _RELATIONS_MANY and not digits:
        return None
    if word.endswith("s") and word not in _RELATIONS_ONE and not digits and word not in {"boss"}:
        return None
    number = int(digits) if digits else 1
    if word in _RELATIONS_INFANT:
        return 0, 0, number
    if word in _RELATIONS_CHILD:
        return 0, number, 0
    return number, 0, 0


def _chain_party(text: str, chain: list[re.Match]) -> Party | None:
    relations = [match for match in chain if match.group(2)]
    if not relations:
        return None
    before = text[:chain[0].start()]
    speaker = any(match.group(3) for match in chain) or bool(
        _WITH_BEFORE_RE.search(before) or _WE_BEFORE_RE.search(before)
    )
    if not speaker and not _FOR_BEFORE_RE.search(before):
        return None
    totals = [_relation_count(match) for match in relations]
    if any(total is None for total in totals):
        return None
    adults, children, infants = (sum(column) for column in zip(*totals, strict=True))
    return Party(adults + int(speaker) or None, children, infants)


def _strip_chain(text: str) -> tuple[str, Party | None]:
    """The first group of named companions that makes a party, blanked."""
    for chain in _chains(text):
        party = _chain_party(text, chain)
        if party:
            return blank(text, chain[0].start(), chain[-1].end()), party
    return text, None


def _social(text: str) -> Party | None:
    """A party told by how they travel rather than by a number."""
    if _COUPLE_RE.search(text):
        return Party(2)
    if _ALONE_RE.search(text):
        return Party(1)
    return None


# "somos 2 y un niño" adds the child; "somos 4, dos niños de 3 y 6 años" and "a
# family of 4 (2 kids)" count the children in the 4.
_ADDED_CHILDREN_RE = re.compile(
    r"\b\d{1,2}\s+(?:adult\w*\s+|personas?\s+|people\s+)?(?:y|e|and|mas|plus|\+|&)\s+"
    r"(?:\d{1,2}\s+|una?\s+|an?\s+|dos\s+|two\s+)?"
    r"(?:nin|kid|child|bebe|bebes|bab|infant|hij|crio|peque)"
)


def _combine(
    total: int | None, subset: int, counts: tuple[int, int, int], social: Party | None,
    *, children_added: bool = True,
) -> Party | None:
    adults, children, infants = counts
    whole = total or adults
    if subset and whole and whole > subset:
        return Party(whole - subset, subset, infants)
    if total:
        if adults:
            return Party(adults, children, infants)
        if social and social.guests(infants_count=True) == total:
            return social
        if not children_added and 0 < children + infants < total:
            return Party(total - children - infants, children, infants)
        return Party(total, children, infants)
    if adults:
        return Party(adults, children, infants)
    if social:
        return Party(social.adults, social.children + children, social.infants + infants)
    if children or infants:
        return Party(None, children, infants)
    return None


# "una doble", "a single room": how many the room is for, which is the party
# when nothing else says it (the summary shows it, for the guest to correct).
_OCCUPANCY_RE = re.compile(
    r"\b(?:(?:una?|la|a|the|1)\s+(?:h?abitacion\s+|hab\s+|room\s+)?|(?:h?abitacion|hab|room)\s+)"
    r"(doble|dobel|double|individual|single|triple)\b(?!\s+(?:night|noche|bed|cama))"
    r"|\b(?:una?|a|1)\s+(double|single|triple)\s+room\b"
)
_OCCUPANCY = {"doble": 2, "dobel": 2, "double": 2, "individual": 1, "single": 1, "triple": 3}


def _occupancy(text: str) -> Party | None:
    found = _OCCUPANCY_RE.search(text)
    return Party(_OCCUPANCY[found.group(1) or found.group(2)]) if found else None


def _read(normalized: str) -> tuple[str, Party | None]:
    text = _HUMAN_RE.sub(lambda m: "|" * len(m.group(0)), normalized)
    text, subset = _strip_subset(text)
    text, companions = _strip_chain(text)
    text, counts = _strip_counts(text)
    text, total = _strip_total(text)
    party = _combine(total, subset, counts, companions or _social(text),
                     children_added=bool(_ADDED_CHILDREN_RE.search(normalized)))
    return text, party or _occupancy(text)


def read_party(text: str, language: str = "es") -> Party | None:
    """Who is coming, as adults, children and babies; None when the message does
    not say. Numbers that count nights, rooms, hours or money are never read."""
    return _read(_prepare(text, language))[1]


def strip_guests(text: str) -> tuple[str, int | None]:
    """For the date rules: the normalized text with the party blanked, and its size."""
    rest, party = _read(text)
    guests = party.guests(infants_count=False) if party else 0
    return rest, guests or None


def extract_guests(text: str, language: str = "es") -> int | None:
    """Party size with babies left out ("2 adults and 1 child" → 3, "mi pareja y
    yo" → 2, "2 adultos y un bebé" → 2); a baby in a cot counts only when the hotel
    says so, which `read_party` lets the caller decide."""
    party = read_party(text, language)
    guests = party.guests(infants_count=False) if party else 0
    return guests or None
