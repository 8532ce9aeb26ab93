"""Email, phone, name and reservation code in a guest's message."""
import re

from .text import normalize

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_LOOSE_EMAIL_RE = re.compile(r"\S+@\S+")
CODE_RE = re.compile(r"\b(?:[Hh][Aa]-?|HA\s)([2-9A-HJ-NP-Za-hj-np-z]{6})\b")
_PHONE_RE = re.compile(r"(?<![\w@])\+?\d[\d\s().-]{7,}\d(?![\w@])")
_DATE_LIKE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")


def extract_email(text: str) -> str | None:
    match = EMAIL_RE.search(text or "")
    return match.group(0).strip(".").lower() if match else None


def looks_like_email_attempt(text: str) -> bool:
    """Something with an @ that is not a valid address: worth a "that email looks wrong"."""
    return bool(_LOOSE_EMAIL_RE.search(text or "")) and extract_email(text) is None


def extract_code(text: str) -> str | None:
    """A reservation code in any case, with or without its dash ("ha-7k3q9m")."""
    match = CODE_RE.search(text or "")
    return f"HA-{match.group(1).upper()}" if match else None


def phone_matches(text: str):
    for match in _PHONE_RE.finditer(text or ""):
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) >= 9 and not _DATE_LIKE_RE.search(match.group(0)):
            yield match


def without_codes(text: str) -> str:
    """The text with reservation codes blanked: "HA-Y2K3PF" holds no Spanish "y"
    and "HA-CANCEL" asks to cancel nothing."""
    return CODE_RE.sub(" ", text or "")


def extract_phone(text: str) -> str | None:
    """A phone-looking run of at least nine digits, as typed; the booking service
    normalizes and validates it with the hotel's country."""
    for match in phone_matches(text):
        return match.group(0).strip()
    return None


_NAME_INTRO_RE = re.compile(
    r"(?:me\s+llamo|mi\s+nombre\s+es|a\s+nombre\s+de|nombre\s*:|my\s+name\s+is|my\s+name's|name\s*:"
    r"|under\s+the\s+name(?:\s+of)?|in\s+the\s+name\s+of|the\s+name\s+is)\s+",
    re.IGNORECASE,
)
_LOOSE_INTRO_RE = re.compile(
    r"^\s*(?:soy|yo\s+soy|es|i'?m|i\s+am|it'?s|this\s+is|name)\s+", re.IGNORECASE
)
_NAME_WORD = r"[^\W\d_](?:[^\W\d_]|['’.\-])*"
_NAME_RE = re.compile(rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,5}}")
_NAME_STOP_WORDS = {
    "y", "e", "and", "mi", "my", "con", "with", "email", "correo", "mail", "para", "for", "telefono",
    "phone", "el", "la", "from", "de", "del", "por", "gracias", "thanks", "please", "porfa", "favor",
}


def _clean_name(candidate: str) -> str | None:
    match = _NAME_RE.match(candidate.strip())
    if not match:
        return None
    words = []
    for word in match.group(0).split():
        if normalize(word) in _NAME_STOP_WORDS:
            break
        words.append(word)
    if not words:
        return None
    name = " ".join(words).strip(" .-'")
    if len(name) > 150:
        return None
    if name and name == name.lower():
        name = name.title()
    return name or None


def extract_name(text: str, *, expecting: bool = False) -> str | None:
    """The guest's name when they introduce themselves ("me llamo Ana García",
    "my name is John Smith"). When the agent has just asked for the name
    (`expecting`), a bare "Ana García" counts too; email and phone are left out."""
    text = text or ""
    match = _NAME_INTRO_RE.search(text)
    if match:
        return _clean_name(text[match.end():])
    if not expecting:
        return None
    rest = EMAIL_RE.sub(" ", text)
    for match in reversed(list(phone_matches(rest))):
        rest = rest[:match.start()] + " " + rest[match.end():]
    rest = _LOOSE_INTRO_RE.sub("", rest)
    rest = re.sub(r"[,;:!¡?¿()]+", " ", rest).strip()
    if not rest or re.search(r"\d|@", rest) or len(rest.split()) > 6:
        return None
    return _clean_name(rest)
