"""Folding and normalizing a guest's words before any rule reads them."""
import functools
import re
import unicodedata

from .numbers import NUMBER_WORDS

# "once" is eleven in Spanish and "one time" in English.
SPANISH_ONLY_NUMBER_WORDS = {"once": 11}
_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b")
_ORDINAL_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th|o|a|er)\b")


# How guests type on a phone: "q incluye la suite?", "a k hora es el checkout",
# "tb tenéis parking?", "do u have rooms". Whole words only, never inside an
# email, a code or a number ("HA-7K3Q9M", "q@example.com").
_SHORTHAND = {
    "q": "que", "k": "que", "ke": "que", "qe": "que",
    "xq": "porque", "pq": "porque", "porq": "porque", "xk": "porque", "pk": "porque",
    "tb": "tambien", "tmb": "tambien", "tmbn": "tambien", "tbn": "tambien",
    "dnd": "donde", "xfa": "por favor", "xfavor": "por favor",
    "u": "you", "ur": "your",
    "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow", "tmw": "tomorrow", "tomoz": "tomorrow",
    "2moro": "tomorrow", "2morrow": "tomorrow", "tonite": "tonight", "2nite": "tonight", "2night": "tonight",
}
_SHORTHAND_RE = re.compile(
    r"(?<![\w@.\-])(" + "|".join(sorted(_SHORTHAND, key=len, reverse=True)) + r")(?![\w@\-]|\.\w)",
    re.IGNORECASE,
)


# Spanish "u" is "o" before an o-sound: "7 u 8 noches", "uno u otro" keep it.
_SPANISH_U_RE = re.compile(r"\s+(?:o|ho|\d)", re.IGNORECASE)


# "el puente d mayo", "cerca d la playa": a lone lower-case "d" before a word is
# "de"; never after an apostrophe ("I'd like") nor in "vitamina D".
_D_RE = re.compile(r"(?<![\w@.\-'’])d(?=\s+[a-záéíóúñ])")


def expand_shorthand(text: str) -> str:
    """The words a phone shorthand stands for, so every rule reads "que", not "q"."""
    def spelled(m: re.Match) -> str:
        word = m.group(1).lower()
        if word == "u" and _SPANISH_U_RE.match(m.string, m.end()):
            return m.group(1)
        return _SHORTHAND[word]

    return _D_RE.sub("de", _SHORTHAND_RE.sub(spelled, text or ""))


@functools.lru_cache(maxsize=512)
def fold(text: str) -> str:
    """Lower case without accents: "Mañana" and "manana" read the same. A turn
    folds the same message (and its parts) a few dozen times, hence the cache;
    ASCII text has nothing to take off."""
    text = text or ""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.replace("º", "").replace("ª", "").lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def normalize(text: str, language: str = "es") -> str:
    """Folded, with ordinals and number words as digits and single spaces.
    Keeps ¿ and ¡ (they are language signals) and never changes the words' order."""
    text = fold(text)
    text = re.sub(r"\btreinta\s+y\s+uno\b", "31", text)
    text = re.sub(r"\bthirty[\s-]?one\b", "31", text)
    text = re.sub(r"\bthirty\b", "30", text)
    text = re.sub(r"\btwenty[\s-](one|two|three|four|five|six|seven|eight|nine)\b",
                  lambda m: str(20 + NUMBER_WORDS[m.group(1)]), text)
    text = _NUMBER_WORD_RE.sub(lambda m: str(NUMBER_WORDS[m.group(1)]), text)
    if language == "es":
        text = re.sub(r"\bonce\b", str(SPANISH_ONLY_NUMBER_WORDS["once"]), text)
    text = _ORDINAL_RE.sub(r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def blank(text: str, start: int, end: int) -> str:
    """Hide a span already understood, keeping positions and stopping date
    ranges from bridging over it."""
    return text[:start] + "|" * (end - start) + text[end:]
