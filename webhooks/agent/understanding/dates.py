"""When a guest's stay is: check-in, check-out and nights.

Pure functions of the text, the hotel's local today and the guest's language, so
they can be tested from a table. The grammar for stays is our own (ranges such as
"del 12 al 14 de marzo", "Dec 5-8", "12/03 al 14/03", weekdays, weekends): it is
predictable where a general date library guesses. dateparser is the fallback for
the long tail ("in a month", "dentro de un mes", "on the 3rd next month"), and only
answers that name a day or a month offset are trusted, because it happily reads
"may I book" as a month.
"""
import datetime
import re
from dataclasses import dataclass

from dateparser.search import search_dates

from .contact import CODE_RE, EMAIL_RE, phone_matches
from .durations import strip_nights, strip_offsets
from .people import strip_guests
from .text import blank, normalize

_MONTHS = {
    "enero": 1, "ene": 1, "january": 1, "jan": 1, "febrero": 2, "feb": 2, "february": 2,
    "marzo": 3, "march": 3, "mar": 3, "abril": 4, "april": 4, "abr": 4, "apr": 4, "mayo": 5,
    "may": 5, "junio": 6, "june": 6, "jun": 6, "julio": 7, "july": 7, "jul": 7, "agosto": 8,
    "august": 8, "ago": 8, "aug": 8, "septiembre": 9, "setiembre": 9, "september": 9, "sept": 9,
    "sep": 9, "octubre": 10, "october": 10, "oct": 10, "noviembre": 11, "november": 11, "nov": 11,
    "diciembre": 12, "december": 12, "dic": 12, "dec": 12,
}
_WEEKDAYS = {
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "domingo": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_YEAR = r"(?:\s*,?\s*(?:de\s+|del\s+|of\s+)?(?P<year>\d{4})\b)?"
_NEXT = r"(?P<next>next|proximo|el\s+proximo|este|this|el|on|coming|the\s+coming|on\s+the\s+coming)"

_ISO_RE = re.compile(r"\b(?P<year>\d{4})-(?P<a>\d{1,2})-(?P<b>\d{1,2})\b")
_NUMERIC_RE = re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?:(?P=sep)(?P<year>\d{4}|\d{2}))?\b")
_NUMERIC_DASH_RE = re.compile(r"\b(?P<a>\d{1,2})-(?P<b>\d{1,2})-(?P<year>\d{4})\b")
_DAY_MONTH_RE = re.compile(rf"\b(?P<day>\d{{1,2}})\s*(?:de\s+|of\s+)?{_MONTH}{_YEAR}")
_MONTH_DAY_RE = re.compile(rf"\b{_MONTH}\s*(?:the\s+)?(?P<day>\d{{1,2}})\b{_YEAR}")
_RELATIVE_RE = re.compile(
    r"\b(?P<word>pasado\s+manana|day\s+after\s+tomorrow|manana|tomorrow|hoy|today|tonight"
    r"|esta\s+noche|this\s+evening)\b"
)
_RELATIVE_DAYS = {
    "pasado manana": 2, "day after tomorrow": 2, "manana": 1, "tomorrow": 1, "hoy": 0, "today": 0,
    "tonight": 0, "esta noche": 0, "this evening": 0,
}
_WEEKEND_RE = re.compile(
    rf"\b(?:{_NEXT}\s+)?(?:fin\s+de\s+semana|finde|weekend)(?P<next2>\s+que\s+viene|\s+proximo)?\b"
)
_WEEKDAY_RE = re.compile(
    rf"\b(?:{_NEXT}\s+)?(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b(?P<next2>\s+que\s+viene|\s+proximo)?"
)
_BARE_DAY_RE = re.compile(
    r"\b(?P<intro>(?:el\s+dia|el|the|on\s+the|dia|day)\s+)?(?P<day>\d{1,2})\b(?:\s*,?\s*(?P<year>\d{4})\b)?"
)
_NEXT_MONTH_DAY_RE = re.compile(
    r"\b(?:el\s+dia\s+|el\s+|the\s+|dia\s+)?(?P<day>\d{1,2})\s+(?:of\s+next\s+month|of\s+the\s+next\s+month"
    r"|del\s+mes\s+que\s+viene"
    r"|del\s+proximo\s+mes|del\s+mes\s+proximo)\b"
)
_TIME_RE = re.compile(
    r"\b(?:a\s+las?\s+|at\s+|sobre\s+las?\s+|around\s+)?\d{1,2}(?::\d{2})?\s*(?:h|hs|am|pm|horas|hrs)\b"
    r"|\b\d{1,2}:\d{2}\b|\ba\s+las?\s+\d{1,2}\b"
)
_RANGE_INTRO_RE = re.compile(
    r"(?:\bdel|\bdesde(?:\s+el)?|\bentre(?:\s+el)?|\bfrom(?:\s+the)?|\bbetween(?:\s+the)?)\s*$"
)
_CONNECTOR_RE = re.compile(
    r"^\s*,?\s*(?:(?:-|–|—|&|\b(?:al|a|hasta|y|to|till|until|through|thru|and)\b)\s*)?"
    r"(?:(?:\bla\s+)?\b(?:check[\s-]?out|salida|salgo|salimos|saliendo|out|leaving|departing|departure)\b"
    r"\s*(?:\b(?:el|on|the)\b|:)?\s*)?(?:\b(?:el\s+dia|el|the|on\s+the|on|dia|de)\b\s*)?$"
)
_CONNECTOR_WORD_RE = re.compile(
    r"-|–|—|\b(?:al|a|hasta|y|to|till|until|through|thru|and|check[\s-]?out|salida|salgo|salimos|out"
    r"|leaving|departing|departure)\b|&"
)


@dataclass(frozen=True)
class Stay:
    """What a message says about the stay. Any part may be missing: "3 noches"
    gives only nights, "el 12 de marzo" only the check-in."""

    check_in: datetime.date | None = None
    check_out: datetime.date | None = None
    nights: int | None = None

    def __bool__(self) -> bool:
        return bool(self.check_in or self.check_out or self.nights)


@dataclass
class _Atom:
    """One date mention. Either `date` is known outright (today, Friday, an ISO
    date) or it is partial: a day, maybe a month, maybe a year."""

    start: int
    end: int
    date: datetime.date | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: bool = False
    bare: bool = False
    introduced: bool = False
    span_to: datetime.date | None = None  # weekends are ranges on their own


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _on_or_after(
    day: int, month: int | None, year: int | None, anchor: datetime.date
) -> datetime.date | None:
    """The first date with this day (and month, and year) not before `anchor`:
    dates without a year that have passed this year are next year's."""
    if year is not None and month is not None:
        return _safe_date(year, month, day)
    if month is not None:
        for year in range(anchor.year, anchor.year + 5):  # 29 February waits for a leap year
            found = _safe_date(year, month, day)
            if found and found >= anchor:
                return found
        return None
    for step in range(0, 3):
        y, m = _add_months(anchor.year, anchor.month, step)
        found = _safe_date(y, m, day)
        if found and found >= anchor:
            return found
    return None


def _weekday_from(weekday: int, today: datetime.date, next_week: bool) -> datetime.date:
    """"el viernes" is the coming Friday, today included; "next Friday" said on
    a Friday is a week later."""
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and next_week:
        ahead = 7
    return today + datetime.timedelta(days=ahead)


def _weekend_friday(today: datetime.date, next_week: bool) -> datetime.date:
    """A weekend stay is Friday to Sunday. On Saturday "this weekend" starts today;
    on Sunday it has gone, so it is the next one. "Next weekend" said during a
    weekend is the following one; said on a weekday it is the coming one."""
    weekday = today.weekday()
    friday = today + datetime.timedelta(days=4 - weekday if weekday <= 5 else 5)
    if next_week and weekday in (4, 5):
        friday += datetime.timedelta(days=7)
    return friday


def _numeric_parts(a: int, b: int, language: str) -> tuple[int, int] | None:
    """(day, month) from "12/03" (Spanish: day first) or "3/12" (English: month
    first); an impossible reading is swapped, 25/12 is Christmas either way."""
    day, month = (b, a) if language == "en" else (a, b)
    if month > 12 and day <= 12:
        day, month = month, day
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return day, month


def _full_year(year: str | None) -> int | None:
    if not year:
        return None
    value = int(year)
    return value + 2000 if value < 100 else value


def _scan(text: str, today: datetime.date, language: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(atom: _Atom) -> None:
        if free(atom.start, atom.end):
            atoms.append(atom)
            taken.append((atom.start, atom.end))

    for m in _ISO_RE.finditer(text):
        found = _safe_date(int(m["year"]), int(m["a"]), int(m["b"]))
        if found:
            add(_Atom(m.start(), m.end(), date=found))
    for pattern in (_NUMERIC_DASH_RE, _NUMERIC_RE):
        for m in pattern.finditer(text):
            parts = _numeric_parts(int(m["a"]), int(m["b"]), language)
            if parts:
                add(_Atom(m.start(), m.end(), day=parts[0], month=parts[1], year=_full_year(m["year"])))
    for m in _NEXT_MONTH_DAY_RE.finditer(text):
        year, month = _add_months(today.year, today.month, 1)
        add(_Atom(m.start(), m.end(), day=int(m["day"]), month=month, year=year))
    for pattern in (_DAY_MONTH_RE, _MONTH_DAY_RE):
        for m in pattern.finditer(text):
            day = int(m["day"])
            if 1 <= day <= 31:
                add(_Atom(m.start(), m.end(), day=day, month=_MONTHS[m["month"]],
                          year=_full_year(m["year"])))
    for m in _RELATIVE_RE.finditer(text):
        if m["word"] == "manana" and re.search(r"\bla\s+$", text[:m.start()]):
            continue  # "por la mañana" is the morning, not tomorrow
        add(_Atom(m.start(), m.end(), date=today + datetime.timedelta(days=_RELATIVE_DAYS[
            re.sub(r"\s+", " ", m["word"])])))
    for m in _WEEKEND_RE.finditer(text):
        next_week = bool(m["next2"]) or (m["next"] or "").strip() in {"next", "proximo", "el proximo"}
        add(_Atom(m.start(), m.end(), date=max(friday := _weekend_friday(today, next_week), today),
                  span_to=friday + datetime.timedelta(days=2)))
    for m in _WEEKDAY_RE.finditer(text):
        next_week = bool(m["next2"]) or (m["next"] or "").strip() in {"next", "proximo", "el proximo"}
        add(_Atom(m.start(), m.end(), date=_weekday_from(_WEEKDAYS[m["weekday"]], today, next_week),
                  weekday=True))
    for m in _BARE_DAY_RE.finditer(text):
        day = int(m["day"])
        if 1 <= day <= 31 and free(m.start("day"), m.end("day")):
            add(_Atom(m.start(), m.end(), day=day, year=_full_year(m["year"]), bare=True,
                      introduced=bool(m["intro"])))
    atoms.sort(key=lambda atom: atom.start)
    return atoms


def _is_connector(gap: str) -> bool:
    return bool(_CONNECTOR_RE.match(gap)) and bool(_CONNECTOR_WORD_RE.search(gap))


def _resolve(atom: _Atom, anchor: datetime.date) -> datetime.date | None:
    if atom.date is not None:
        return atom.date
    return _on_or_after(atom.day, atom.month, atom.year, anchor)


def _resolve_range(first: _Atom, second: _Atom, today: datetime.date):
    """Check-in and check-out from two mentions joined by "al", "to", "-"…, the
    month and year of one lending themselves to the other ("12 al 14 de marzo",
    "Dec 5-8"); a range that has passed this year is next year's."""
    if first.date is None and first.year is None and second.year is not None:
        first.year = second.year if first.month is None or second.month is None or (
            first.month <= second.month) else second.year - 1
    if first.date is None and first.month is None and second.date is None and second.month is not None:
        check_out = _on_or_after(second.day, second.month, second.year, today)
        if check_out is None:
            return None, None
        y, m = (check_out.year, check_out.month)
        if first.day >= second.day:
            y, m = _add_months(y, m, -1)
        check_in = _safe_date(y, m, first.day)
        if check_in is not None and check_in < today and second.year is None:
            check_in, check_out = _safe_date(y + 1, m, first.day), _safe_date(
                check_out.year + 1, check_out.month, check_out.day)
        return check_in, check_out
    check_in = _resolve(first, today)
    if check_in is None:
        return None, None
    if second.date is not None:
        check_out = second.date
        if second.weekday and check_out <= check_in:
            check_out += datetime.timedelta(days=7)
        return check_in, check_out
    if second.month is None:
        check_out = _on_or_after(second.day, None, None, check_in + datetime.timedelta(days=1))
    else:
        check_out = _on_or_after(second.day, second.month, second.year, check_in + datetime.timedelta(days=1))
    return check_in, check_out


_FALLBACK_HINT_RE = re.compile(r"\d|\b(?:month|months|mes|meses)\b")


def _fallback(text: str, today: datetime.date, language: str) -> datetime.date | None:
    """dateparser for phrasings our grammar lacks ("in a month", "dentro de un
    mes", "on the 3rd next month"). Trusted only when the match names a day or a
    month offset and is not in the past: it reads "may I book" as a month."""
    if not _FALLBACK_HINT_RE.search(text):
        return None
    found = search_dates(
        text,
        languages=[language if language in ("es", "en") else "es"],
        settings={
            "RELATIVE_BASE": datetime.datetime.combine(today, datetime.time(12)),
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "MDY" if language == "en" else "DMY",
        },
    ) or []
    for matched, when in found:
        if _FALLBACK_HINT_RE.search(matched) and when.date() >= today:
            return when.date()
    return None


def _date_text(text: str, today: datetime.date, language: str):
    """The normalized text with nights, guests and times hidden, plus what those said."""
    normalized = normalize(text, language)
    normalized = EMAIL_RE.sub(lambda m: "|" * len(m.group(0)), normalized)
    normalized = CODE_RE.sub(lambda m: "|" * len(m.group(0)), normalized)
    for match in list(phone_matches(normalized)):
        normalized = blank(normalized, match.start(), match.end())
    normalized = _TIME_RE.sub(lambda m: "|" * len(m.group(0)), normalized)
    normalized, offset_date = strip_offsets(normalized, today)
    normalized, nights = strip_nights(normalized)
    normalized, _ = strip_guests(normalized)
    return normalized, offset_date, nights


def extract_stay(text: str, today: datetime.date, language: str = "es") -> Stay:
    """Check-in, check-out and nights from one message, judged from the hotel's
    local `today`. A range wins over a number of nights; a single date with
    nights gives the check-out."""
    normalized, offset_date, nights = _date_text(text, today, language)
    atoms = _scan(normalized, today, language)
    check_in = check_out = None
    for first, second in zip(atoms, atoms[1:], strict=False):
        if first.span_to or second.span_to:
            continue
        if not _is_connector(normalized[first.end:second.start]):
            continue
        if first.bare and second.bare and not (
            first.introduced or _RANGE_INTRO_RE.search(normalized[:first.start])
        ):
            continue
        check_in, check_out = _resolve_range(first, second, today)
        if check_in:
            break
    if check_in is None:
        for atom in atoms:
            if atom.bare and not atom.introduced:
                continue
            check_in = _resolve(atom, today)
            if atom.span_to and not nights:
                check_out = atom.span_to
            if check_in:
                break
    if check_in is None:
        check_in = offset_date
    if check_in is None:
        check_in = _fallback(normalized.replace("|", " "), today, language)
    if check_in and check_out and check_out > check_in:
        return Stay(check_in, check_out, (check_out - check_in).days)
    if check_in and nights:
        return Stay(check_in, check_in + datetime.timedelta(days=nights), nights)
    return Stay(check_in, None, nights)
