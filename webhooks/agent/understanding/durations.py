"""How long a stay is ("3 noches", "a week") and offsets that say when ("in two weeks")."""
import calendar
import datetime
import re

from reservations.pricing import MONTH_NIGHTS

from .text import blank, normalize

_A = r"(?:1|un|una|a|an)"
# How guests really spell it: "3 nigths", "two nites", "2 nochs", "3 noche".
_NIGHT = (
    r"(?:noches|noche|nochs|noces|nohces|nights|night|nigths|nigth|nihgts|nihgt|nigts|nigt|nighs|nites|nite"
    r"|nits|nghts|ngts|nts)"
)
_NIGHTS_PATTERNS = [
    (re.compile(rf"\b(\d{{1,3}})\s*(?:x\s*)?{_NIGHT}\b"), lambda m: int(m.group(1))),
    (re.compile(rf"\b{_A}\s+(?:sola\s+|single\s+)?{_NIGHT}\b"), lambda m: 1),
    (re.compile(rf"\b(?:un\s+par\s+de\s+{_NIGHT}|a\s+couple\s+(?:of\s+)?{_NIGHT})\b"), lambda m: 2),
    (re.compile(r"\b(\d{1,2})\s+(?:semanas|weeks)\b"), lambda m: 7 * int(m.group(1))),
    (re.compile(rf"\b{_A}\s+(?:semana|week)\b"), lambda m: 7),
    (re.compile(rf"\b(?:{_A}\s+quincena|{_A}\s+fortnight)\b"), lambda m: 14),
    # "un mes", "a month": thirty nights, the long-stay tier; the summary shows the dates.
    (re.compile(r"\b([1-3])\s+(?:meses|months)\b"), lambda m: MONTH_NIGHTS * int(m.group(1))),
    (re.compile(rf"\b{_A}\s+(?:mes|month)(?:\s+(?:entero|completo))?\b(?!\s+(?:que\s+viene|proximo|siguiente))"),
     lambda m: MONTH_NIGHTS),
]
# "a room for tomorrow night", "para el sábado por la noche", "for tonight": one
# night. Only after "for"/"para" or a room asked for ("tienen habitación mañana
# por la noche?"): "llegamos mañana por la noche" says when, not how long.
WEEKDAYS = {
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "domingo": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
DAY_WORDS = rf"(?:tomorrow|manana|today|hoy|(?:el\s+|this\s+|next\s+)?(?:{'|'.join(WEEKDAYS)}))"
_ONE_NIGHT_RE = re.compile(
    r"\b(?:for|para|rooms?|habitacion(?:es)?|hab|available|disponibles?|libres?|free|vacancy|vacancies)\s+"
    rf"(?:(?:just\s+|solo\s+)?{DAY_WORDS}(?:\s+(?:por|en)\s+la)?\s+(?:night|noche)"
    r"|tonight|esta\s+noche)\b"
)
# "en dos semanas" / "in 2 weeks" say when, not how long.
_OFFSET_RE = re.compile(
    r"\b(?:en|dentro\s+de|in|within)\s+(\d{1,3}|un|una|a|an)\s+(dias?|days?|semanas?|weeks?|mes|meses|months?)\b"
    r"|\b(\d{1,3}|un|una|a|an)\s+(dias?|days?|semanas?|weeks?|mes|meses|months?)"
    r"\s+(?:from\s+(?:now|today)|desde\s+hoy)\b"
)
# "hace un mes", "a month ago": when something happened, neither a stay nor a date.
_AGO_RE = re.compile(r"\bhace\s+(?:\d{1,3}|un|una)\s+\w+|\b(?:\d{1,3}|a|an)\s+\w+\s+ago\b")


def strip_offsets(text: str, today: datetime.date) -> tuple[str, datetime.date | None]:
    found = None
    for match in _OFFSET_RE.finditer(text):
        number, unit = [group for group in match.groups() if group]
        amount = 1 if number in {"un", "una", "a", "an"} else int(number)
        found = found or _later(today, amount, unit[:3])
        text = blank(text, match.start(), match.end())
    for match in _AGO_RE.finditer(text):
        text = blank(text, match.start(), match.end())
    return text, found


_UNIT_DAYS = {"dia": 1, "day": 1, "sem": 7, "wee": 7}


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) `months` after (or before) the given one."""
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _later(today: datetime.date, amount: int, unit: str) -> datetime.date:
    """"dentro de un mes" is the same day next month (the 31st: that month's last)."""
    if unit in _UNIT_DAYS:
        return today + datetime.timedelta(days=amount * _UNIT_DAYS[unit])
    year, month = add_months(today.year, today.month, amount)
    return datetime.date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def strip_nights(text: str) -> tuple[str, int | None]:
    found = None
    for pattern, value in _NIGHTS_PATTERNS:
        for match in pattern.finditer(text):
            found = found or value(match)
            text = blank(text, match.start(), match.end())
    if found is None and _ONE_NIGHT_RE.search(text):
        found = 1  # the words stay: the day is a date, "night" a time of day (dates.py)
    return text, found


def extract_nights(text: str, language: str = "es") -> int | None:
    """Length of stay in nights ("3 noches", "for two nights", "una semana")."""
    normalized, _ = strip_offsets(normalize(text, language), datetime.date.min)
    return strip_nights(normalized)[1]
