"""What a guest needs to know to choose a room, in the guest's language.

The vocabulary is plain dicts rather than gettext: the agent answers in the
conversation's language, not the request's, and staff pick amenities from a
fixed list so the agent can both understand and say every one of them.
`RoomFacts` is a database-free copy of a room type, so the agent's readers
(webhooks/agent/understanding/room_choice.py) are pure functions over it.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

LANGUAGES = ("es", "en")

# key: (label es, label en, sentence es "tiene …", sentence en "has …")
_AMENITIES: dict[str, tuple[str, str, str, str]] = {
    "balcony": ("balcón", "balcony", "tiene balcón", "has a balcony"),
    "terrace": ("terraza", "terrace", "tiene terraza", "has a terrace"),
    "sea_view": ("vistas al mar", "sea view", "tiene vistas al mar", "has a sea view"),
    "city_view": ("vistas a la ciudad", "city view", "tiene vistas a la ciudad", "has a city view"),
    "bathtub": ("bañera", "bathtub", "tiene bañera", "has a bathtub"),
    "walk_in_shower": ("ducha a ras de suelo", "walk-in shower", "tiene ducha a ras de suelo",
                       "has a walk-in shower"),
    "kitchenette": ("cocina americana", "kitchenette", "tiene cocina americana", "has a kitchenette"),
    "air_conditioning": ("aire acondicionado", "air conditioning", "tiene aire acondicionado",
                         "has air conditioning"),
    "heating": ("calefacción", "heating", "tiene calefacción", "has heating"),
    "desk": ("escritorio", "desk", "tiene escritorio", "has a desk"),
    "sofa": ("sofá", "sofa", "tiene sofá", "has a sofa"),
    "minibar": ("minibar", "minibar", "tiene minibar", "has a minibar"),
    "coffee_machine": ("cafetera", "coffee machine", "tiene cafetera", "has a coffee machine"),
    "accessible": ("adaptada para movilidad reducida", "wheelchair accessible",
                   "está adaptada para movilidad reducida", "is wheelchair accessible"),
    "connecting": ("comunicada con otra habitación", "connecting room",
                   "se comunica con otra habitación", "connects to another room"),
    "crib_available": ("cuna disponible", "crib available", "puede tener cuna", "can have a crib"),
}

AMENITY_LABELS: dict[str, dict[str, str]] = {
    key: {"es": es, "en": en} for key, (es, en, _s_es, _s_en) in _AMENITIES.items()
}
AMENITY_SENTENCES: dict[str, dict[str, str]] = {
    key: {"es": s_es, "en": s_en} for key, (_es, _en, s_es, s_en) in _AMENITIES.items()
}
AMENITIES = tuple(_AMENITIES)

# key: (label es, label en, with article es, with article en)
_BEDS: dict[str, tuple[str, str, str, str]] = {
    "double": ("cama doble", "double bed", "una cama doble", "a double bed"),
    "queen": ("cama queen", "queen bed", "una cama queen", "a queen bed"),
    "king": ("cama king", "king bed", "una cama king", "a king bed"),
    "twin": ("2 camas individuales", "2 single beds", "dos camas individuales", "two single beds"),
    "single": ("cama individual", "single bed", "una cama individual", "a single bed"),
    "double_sofa_bed": ("cama doble y sofá cama", "double bed and sofa bed",
                        "una cama doble y un sofá cama", "a double bed and a sofa bed"),
    "two_doubles": ("2 camas dobles", "2 double beds", "dos camas dobles", "two double beds"),
}
BED_LABELS: dict[str, dict[str, str]] = {key: {"es": es, "en": en} for key, (es, en, _a, _b) in _BEDS.items()}
BED_PHRASES: dict[str, dict[str, str]] = {key: {"es": a, "en": b} for key, (_es, _en, a, b) in _BEDS.items()}
BEDS = tuple(_BEDS)
BED_CHOICES = [(key, labels["en"]) for key, labels in BED_LABELS.items()]
AMENITY_CHOICES = [(key, labels["en"]) for key, labels in AMENITY_LABELS.items()]

# What a one-line description mentions first: what sets rooms apart, not what they all have.
_HIGHLIGHTS = ("sea_view", "terrace", "balcony", "bathtub", "kitchenette", "city_view", "walk_in_shower",
               "connecting", "accessible", "sofa")
_MAX_HIGHLIGHTS = 3
# The nearest thing a room has when it lacks what was asked for.
_INSTEAD = {"bathtub": "walk_in_shower", "walk_in_shower": "bathtub", "balcony": "terrace",
            "terrace": "balcony", "sea_view": "city_view", "city_view": "sea_view"}
_MASCULINE = ("estudio", "apartamento", "loft", "duplex", "dúplex", "ático", "atico", "bungalow")


@dataclass(frozen=True)
class RoomFacts:
    code: str
    name: str
    names: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    max_guests: int = 2
    base_rate: Decimal = Decimal("0")
    beds: str = ""
    amenities: tuple[str, ...] = ()
    size_m2: int | None = None

    def label(self, language: str) -> str:
        return self.names.get(_lang(language)) or self.name


def _lang(language: str) -> str:
    return (language or "").split("-")[0].lower()[:2]


def room_facts(room_type: Any) -> RoomFacts:
    """A RoomType (or anything shaped like one) as RoomFacts."""
    names = {lang: value for lang in LANGUAGES if (value := getattr(room_type, f"name_{lang}", ""))}
    descriptions = {lang: value for lang in LANGUAGES
                    if (value := getattr(room_type, f"description_{lang}", ""))}
    amenities = tuple(key for key in AMENITIES if key in (getattr(room_type, "amenities", None) or ()))
    return RoomFacts(
        code=room_type.code, name=room_type.name, names=names, descriptions=descriptions,
        max_guests=room_type.max_guests, base_rate=Decimal(room_type.base_rate),
        beds=getattr(room_type, "beds", "") or "", amenities=amenities,
        size_m2=getattr(room_type, "size_m2", None),
    )


def unknown_amenities(values: Any) -> list[str]:
    """The entries of `values` outside the vocabulary (everything, when it is not a list)."""
    if not isinstance(values, list | tuple):
        return [repr(values)]
    return [str(value) for value in values if value not in _AMENITIES]


def amenity_label(key: str, language: str) -> str:
    labels = AMENITY_LABELS[key]
    return labels.get(_lang(language), labels["en"])


def bed_label(key: str, language: str) -> str:
    labels = BED_LABELS[key]
    return labels.get(_lang(language), labels["en"])


def describe_room(facts: RoomFacts, language: str) -> str:
    """One line a guest can choose from, e.g. "Suite con terraza — 2 camas dobles,
    bañera, terraza, 35 m², hasta 4 personas"."""
    language = "es" if _lang(language) == "es" else "en"
    highlights = [key for key in _HIGHLIGHTS if key in facts.amenities][:_MAX_HIGHLIGHTS]
    parts = [bed_label(facts.beds, language)] if facts.beds in _BEDS else []
    parts += [amenity_label(key, language) for key in highlights]
    if facts.size_m2:
        parts.append(f"{facts.size_m2} m²")
    parts.append(_capacity(facts.max_guests, language))
    return f"{facts.label(language)} — {', '.join(parts)}"


def _capacity(guests: int, language: str) -> str:
    if language == "es":
        return "hasta 1 persona" if guests == 1 else f"hasta {guests} personas"
    return "up to 1 guest" if guests == 1 else f"up to {guests} guests"


def _the(facts: RoomFacts, language: str, *, capital: bool = False) -> str:
    """The room with its article: "la Deluxe", "el Estudio", "the Suite"."""
    label = facts.label(language)
    if language == "es":
        first = label.split()[0].lower() if label.split() else ""
        if first in ("habitación", "habitacion"):
            label = label[0].lower() + label[1:]
        article = "el" if first in _MASCULINE else "la"
    else:
        article = "the"
    article = article.capitalize() if capital else article
    return f"{article} {label}"


def answer_room_question(question: Any, rooms: Sequence[RoomFacts], language: str) -> str:
    """A short answer to a RoomQuestion (code, asks, amenity), from the facts alone.
    With no room named it answers for every room, so a guest can compare."""
    language = "es" if _lang(language) == "es" else "en"
    by_code: Mapping[str, RoomFacts] = {room.code: room for room in rooms}
    asked = [by_code[question.code]] if question.code in by_code else list(rooms)
    if not asked:
        return ""
    if question.asks == "amenity" and len(asked) > 1 and question.amenity in _AMENITIES:
        return _amenity_summary(asked, language, question.amenity)
    answer = _ANSWERS.get(question.asks, _description)
    return " ".join(answer(room, language, question) for room in asked)


def _and(items: list[str], language: str) -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {'y' if language == 'es' else 'and'} {items[-1]}"


def _amenity_summary(rooms: list[RoomFacts], language: str, key: str) -> str:
    """Which rooms have it, for a guest who asked without naming one."""
    having = [room for room in rooms if key in room.amenities]
    label = amenity_label(key, language)
    if len(having) == len(rooms):
        return f"Sí, todas las habitaciones: {label}." if language == "es" else f"Yes, every room: {label}."
    if not having:
        return (f"No, ninguna habitación {AMENITY_SENTENCES[key]['es']}." if language == "es"
                else f"No, no room {AMENITY_SENTENCES[key]['en']}.")
    names = _and([_the(room, language) for room in having], language)
    if language == "es":
        return f"{names[0].upper()}{names[1:]}: {label}; las demás no."
    return f"{names[0].upper()}{names[1:]}: {label}; the others don't."


def _capacity_answer(room: RoomFacts, language: str, question: Any) -> str:
    party = getattr(question, "party", None)
    if party and party > room.max_guests:
        return _too_small(room, language, party, question)
    if language == "es":
        people = "1 persona" if room.max_guests == 1 else f"{room.max_guests} personas"
        verb = "cabe" if room.max_guests == 1 else "caben"
        return f"En {_the(room, language)} {verb} hasta {people}."
    guests = "1 guest" if room.max_guests == 1 else f"{room.max_guests} guests"
    return f"{_the(room, language, capital=True)} sleeps up to {guests}."


def _too_small(room: RoomFacts, language: str, party: int, question: Any) -> str:
    """"caben 4 en la deluxe?": no, and which room takes them."""
    bigger = [other for other in getattr(question, "rooms", ()) if other.max_guests >= party]
    if language == "es":
        answer = f"En {_the(room, language)} caben hasta {room.max_guests} personas, así que {party} no."
        if bigger:
            answer += f" Para {party} tenemos {_and([_the(other, language) for other in bigger], language)}."
        return answer
    answer = f"{_the(room, language, capital=True)} sleeps up to {room.max_guests}, so not {party}."
    if bigger:
        answer += f" For {party} we have {_and([_the(other, language) for other in bigger], language)}."
    return answer


def _amenity_answer(room: RoomFacts, language: str, question: Any) -> str:
    key = question.amenity
    if key not in _AMENITIES:
        return _description(room, language, question)
    room_name = _the(room, language)
    if key in room.amenities:
        yes = "Sí" if language == "es" else "Yes"
        return f"{yes}, {room_name} {AMENITY_SENTENCES[key][language]}."
    instead = _INSTEAD.get(key)
    missing = amenity_label(key, language)
    if instead in room.amenities:
        if language == "es":
            return f"No, {room_name} {AMENITY_SENTENCES[instead]['es']}, sin {missing}."
        return f"No, {room_name} {AMENITY_SENTENCES[instead]['en']}, no {missing}."
    if language == "es":
        return f"No, {room_name} no {AMENITY_SENTENCES[key]['es']}."
    return f"No, {room_name} has no {missing}."


def _beds_answer(room: RoomFacts, language: str, question: Any) -> str:
    if room.beds not in _BEDS:
        if language == "es":
            return f"No tengo el detalle de las camas de {_the(room, language)}; recepción te lo confirma."
        return f"I don't have the bed details for {_the(room, language)}; the front desk can confirm."
    verb = "tiene" if language == "es" else "has"
    return f"{_the(room, language, capital=True)} {verb} {BED_PHRASES[room.beds][language]}."


def _size_answer(room: RoomFacts, language: str, question: Any) -> str:
    if not room.size_m2:
        if language == "es":
            return f"No tengo los metros de {_the(room, language)}; recepción te lo confirma."
        return f"I don't have the size of {_the(room, language)}; the front desk can confirm."
    if language == "es":
        return f"{_the(room, language, capital=True)} tiene {room.size_m2} m²."
    square_feet = round(room.size_m2 * 10.7639 / 5) * 5
    return f"{_the(room, language, capital=True)} is {room.size_m2} m² (about {square_feet} sq ft)."


def _description(room: RoomFacts, language: str, question: Any) -> str:
    """Named, so two descriptions side by side ("¿qué diferencia hay?") can be told apart."""
    text = room.descriptions.get(language)
    if not text:
        return describe_room(room, language).rstrip(".") + "."
    text = text if text.endswith((".", "!", "?")) else text + "."
    return f"{room.label(language)}: {text}"


_ANSWERS = {
    "capacity": _capacity_answer,
    "amenity": _amenity_answer,
    "beds": _beds_answer,
    "size": _size_answer,
    "description": _description,
}
