"""Wishes a guest adds to a booking in passing: "con desayuno", "llegaremos tarde",
"a quiet room please". None of them changes what is booked; each is something
the hotel's staff should know when the guest arrives, so the booking carries
them in its special requests and the summary shows them back to the guest.

Only statements are read: "¿el desayuno está incluido?" asks the hotel's
answer (the knowledge base), it does not ask for breakfast.
"""
import re

from .text import fold

WISHES: dict[str, re.Pattern[str]] = {
    "breakfast": re.compile(
        r"\b(?:con|incluyendo|y)\s+(?:el\s+)?desayunos?\b|\bdesayuno\s+incluido\b"
        r"|\b(?:with|including|plus|and)\s+breakfast\b|\bbreakfast\s+included\b"),
    "late_arrival": re.compile(
        r"\b(?:llegar\w*|llego|llegamos)\s+(?:muy\s+)?(?:tarde|de\s+noche|a\s+medianoche)\b"
        r"|\barriv\w*\s+(?:very\s+)?late\b|\blate\s+arrival\b|\bget(?:ting)?\s+in\s+late\b"),
    "early_arrival": re.compile(
        r"\b(?:llegar\w*|llego|llegamos)\s+(?:muy\s+)?(?:temprano|pronto|por\s+la\s+manana)\b"
        r"|\barriv\w*\s+(?:very\s+)?early\b|\bearly\s+arrival\b"),
    "quiet_room": re.compile(r"\b(?:habitacion|cuarto)\s+(?:muy\s+)?(?:tranquila|silenciosa|tranquilo)\b"
                             r"|\bquiet\s+room\b|\bsomewhere\s+quiet\b"),
    "high_floor": re.compile(r"\b(?:planta|piso)\s+alt[ao]\b|\b(?:high|higher|top|upper)\s+floor\b"),
    "twin_beds": re.compile(r"\bdos\s+camas\b|\bcamas\s+separadas\b|\btwin\s+beds?\b|\bseparate\s+beds\b"
                            r"|\btwo\s+beds\b"),
    "anniversary": re.compile(r"\baniversario\b|\banniversary\b"),
    "honeymoon": re.compile(r"\bluna\s+de\s+miel\b|\bhoneymoon\b|\brecien\s+casados\b|\bjust\s+married\b"),
    "birthday": re.compile(r"\bcumpleanos\b|\bbirthday\b"),
    "accessible": re.compile(r"\bsilla\s+de\s+ruedas\b|\bmovilidad\s+reducida\b|\bwheelchair\b"),
    "crib": re.compile(r"\bcunas?\b|\bcribs?\b|\bcots?\b|\bbaby\s+beds?\b"),
}
# "sin desayuno", "no necesitamos cuna", "we don't need a crib": the wish, refused.
_NEGATED_RE = re.compile(
    r"\b(?:sin|no|nada\s+de|dont|don't|do\s+not|without|no\s+need\s+for)\b[^.!?,]{0,20}$")

LABELS = {
    "es": {"breakfast": "desayuno", "late_arrival": "llegada tarde", "early_arrival": "llegada temprano",
           "quiet_room": "habitación tranquila", "high_floor": "planta alta",
           "twin_beds": "dos camas separadas", "anniversary": "aniversario",
           "honeymoon": "luna de miel", "birthday": "cumpleaños",
           "accessible": "accesible en silla de ruedas", "crib": "cuna"},
    "en": {"breakfast": "breakfast", "late_arrival": "late arrival", "early_arrival": "early arrival",
           "quiet_room": "a quiet room", "high_floor": "a high floor", "twin_beds": "twin beds",
           "anniversary": "anniversary", "honeymoon": "honeymoon", "birthday": "birthday",
           "accessible": "wheelchair accessible", "crib": "a crib"},
}
_SENTENCES_RE = re.compile(r"(?<=[.!?;])\s+|\n+")
_ASKING_RE = re.compile(
    r"^(?:y\s+|and\s+)?(?:se\s+puede|puedo|podemos|can\s+i|can\s+we|could\s+we|is\s+it)\b")


# "llegaremos sobre las 11 de la noche", "we get in around 10pm": the hour says late or early.
_ARRIVAL_AT_RE = re.compile(
    r"\b(?:llegar\w*|llego|llegamos|arriv\w*|get(?:ting)?\s+in|check(?:ing)?\s+in)\b[^.!?]{0,25}?"
    r"\b(?:a\s+las|sobre\s+las|hacia\s+las|at|around|about|by)\s+(\d{1,2})(?:[:.h]\d{2})?\s*"
    r"(h\b|pm\b|am\b|de\s+la\s+noche|de\s+la\s+manana|de\s+la\s+tarde|de\s+la\s+madrugada)?")
_LATE_FROM, _EARLY_UNTIL = 21, 12  # check-in is in the afternoon


def _arrival_wish(folded: str) -> str | None:
    found = _ARRIVAL_AT_RE.search(folded)
    if not found:
        return None
    hour, part = int(found.group(1)), (found.group(2) or "").strip()
    if hour > 23:
        return None
    if part in ("pm", "de la noche", "de la tarde") and hour < 12:
        hour += 12
    if part == "de la madrugada" or hour < 5 or hour >= _LATE_FROM:
        return "late_arrival"
    if hour < _EARLY_UNTIL and part != "pm":
        return "early_arrival"
    return None


def _wished(pattern: re.Pattern[str], folded: str) -> bool:
    return any(not _NEGATED_RE.search(folded[:match.start()]) for match in pattern.finditer(folded))


def read_wishes(text: str) -> tuple[str, ...]:
    """The wishes stated in `text`, in the table's order; none from a question."""
    found: list[str] = []
    for sentence in _SENTENCES_RE.split(text or ""):
        folded = fold(sentence).strip()
        if not folded or "?" in sentence or _ASKING_RE.match(folded):
            continue
        found += [name for name, pattern in WISHES.items() if _wished(pattern, folded)]
        if arrival := _arrival_wish(folded):
            found.append(arrival)
    return tuple(name for name in WISHES if name in found)


def wish_labels(wishes: list[str] | tuple[str, ...], language: str) -> list[str]:
    labels = LABELS["es" if language == "es" else "en"]
    return [labels[wish] for wish in wishes if wish in labels]
