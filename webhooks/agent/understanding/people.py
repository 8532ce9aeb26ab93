"""How many guests a message speaks of."""
import re

from .durations import strip_nights
from .text import blank, normalize

_PEOPLE = (
    r"(?:adultos?|personas?|huespedes?|pax|people|persons?|guests?|adults?|ppl|gente)"
)
_CHILDREN = r"(?:ninos?|ninas?|nenes?|hijos?|bebes?|children|kids?|child|babies|baby)"
_GUESTS_PATTERNS = [
    re.compile(rf"\b(\d{{1,2}})\s+{_PEOPLE}\b(?:\s*(?:,|y|and|\+|mas|plus)\s*(\d{{1,2}})\s+{_CHILDREN}\b)?"),
    re.compile(r"\b(?:1|una|un|one|a\s+single)\s+(?:persona|adulto|person|adult|guest|huesped)\b"),
    re.compile(
        r"\b(?:para|for|somos|seremos|vamos|venimos|we\s+are|we'?re|we\s+will\s+be|party\s+of|grupo\s+de"
        r"|group\s+of)\s+(?:los\s+|las\s+|nosotros\s+|nosotras\s+)?(\d{1,2})\b"
        r"(?!\s*(?:de\b|del\b|of\b|/|-|\.\d|:|noche|night|dia|day|semana|week|mes|month|am\b|pm\b|h\b"
        r"|habitacion|room))"
    ),
]
# Children added to a count already read: "somos 2 y un niño", "2 adults with a child".
_EXTRA_CHILDREN_RE = re.compile(
    rf"(?:,|\by\b|\band\b|\+|\bmas\b|\bplus\b|\bcon\b|\bwith\b)\s*(\d{{1,2}}|una?|an?)\s+{_CHILDREN}\b"
)
_ALONE_RE = re.compile(
    r"\b(?:solo\s+yo|yo\s+solo|yo\s+sola|solo\s+para\s+mi|para\s+mi\s+solo|para\s+mi\s+sola|just\s+me"
    r"|only\s+me|just\s+myself|for\s+myself|me\s+alone)\b"
)
_COUPLE_RE = re.compile(
    r"\b(?:(?:una|mi|con\s+mi)\s+pareja|(?:a|my)\s+couple|(?:mi\s+(?:mujer|esposa|marido|esposo|novia|novio"
    r"|pareja|amiga|amigo|madre|padre|hija|hijo|hermana|hermano)\s+y\s+yo)|(?:my\s+(?:wife|husband|partner"
    r"|girlfriend|boyfriend|friend|mother|father|mom|dad|son|daughter|sister|brother)\s+and\s+(?:i|me))"
    r"|(?:me\s+and\s+my\s+(?:wife|husband|partner|girlfriend|boyfriend|friend)))\b"
)


def strip_guests(text: str) -> tuple[str, int | None]:
    found = None
    for pattern in _GUESTS_PATTERNS:
        for match in pattern.finditer(text):
            if found is None:
                numbers = [int(g) for g in match.groups() if g]
                found = sum(numbers) if numbers else 1
            text = blank(text, match.start(), match.end())
    if found is not None:
        for match in _EXTRA_CHILDREN_RE.finditer(text):
            found += int(match.group(1)) if match.group(1).isdigit() else 1
            text = blank(text, match.start(), match.end())
    for pattern, value in ((_ALONE_RE, 1), (_COUPLE_RE, 2)):
        for match in pattern.finditer(text):
            found = found or value
            text = blank(text, match.start(), match.end())
    return text, found


def extract_guests(text: str, language: str = "es") -> int | None:
    """Party size ("para 2 adultos", "dos personas", "para dos", "2 people",
    "2 adults and 1 child" → 3, "mi pareja y yo" → 2)."""
    normalized, _ = strip_nights(normalize(text, language))
    return strip_guests(normalized)[1]
