"""The kind of room a guest asks for, as a canonical word."""
import re

from .text import normalize

# Canonical words the engine matches against the hotel's own room type codes and names.
_ROOM_WORDS = [
    ("suite", r"\b(?:junior\s+)?suites?\b"),
    ("deluxe", r"\b(?:deluxe|de\s+lujo|lujo|luxury)\b"),
    ("superior", r"\bsuperior\b"),
    ("family", r"\bfamiliar(?:es)?\b|\bfamily[\s-]+(?:rooms?|suites?)\b"),  # not "a family of 4"
    ("triple", r"\btriples?\b"),
    ("single", r"\b(?:individual|single|sencilla)\b(?!\s+(?:night|noche))"),
    ("double", r"\b(?:dobles?|dobel|dobels|doubles?|matrimoniales?|matrimonio|twin|king|queen)\b"),
    ("standard", r"\b(?:standard|estandar|standar|normal|basica|basic|sencillita|economica|economy)\b"),
]


# "una doble", "a single room": how many the room is for, which every hotel can
# answer by capacity, not a kind of room a hotel without a room *named* "Double"
# lacks ("No tenemos ese tipo de habitación" to "¿tenéis habitación doble?" is wrong).
OCCUPANCY_WORDS = frozenset({"single", "double", "triple"})


def extract_room_type(text: str, language: str = "es") -> str | None:
    """The kind of room asked for, as a canonical word ("suite", "deluxe",
    "standard", "double", "single", "family", "triple", "superior")."""
    normalized = normalize(text, language)
    for canonical, pattern in _ROOM_WORDS:
        if re.search(pattern, normalized):
            return canonical
    return None
