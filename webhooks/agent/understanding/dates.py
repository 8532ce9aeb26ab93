"""When a guest's stay is: check-in, check-out and nights, or why we must ask.

Pure functions of the text, the hotel's local today and the guest's language, so
they can be tested from a table. The grammar for stays is our own (ranges such as
"del 12 al 14 de marzo", "Dec 5-8", "12/03 al 14/03", weekdays, weekends): it is
predictable where a general date library guesses. dateparser is the fallback for
the long tail ("in a month", "dentro de un mes"), and only answers that name a day
or a month offset are trusted, because it happily reads "may I book" as a month.

A wrong stay booked is worse than a question, so what cannot be read without
guessing a month or a year comes back as a `problem` with concrete `options`
("del 19 al 16", "31 de abril", "03/04" from an English guest, "en verano").
"""
import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from dateparser.search import search_dates
from rapidfuzz.distance import OSA

from .contact import CODE_RE, EMAIL_RE, phone_matches
from .durations import DAY_WORDS, WEEKDAYS, add_months, strip_nights, strip_offsets
from .people import strip_guests
from .text import blank, fold, normalize

Option = tuple[datetime.date, datetime.date | None]
DAY = datetime.timedelta(days=1)
# A range whose last day is before its first reads across a month end ("del 28 al
# 2") only when that gives a short stay; "del 19 al 16" is written backwards.
_CROSSING_NIGHTS = 14
_PLAUSIBLE_NIGHTS = 31

_MONTHS = {
    "enero": 1, "ene": 1, "january": 1, "jan": 1, "febrero": 2, "feb": 2, "february": 2,
    "marzo": 3, "march": 3, "mar": 3, "abril": 4, "april": 4, "abr": 4, "apr": 4, "mayo": 5,
    "may": 5, "junio": 6, "june": 6, "jun": 6, "julio": 7, "july": 7, "jul": 7, "agosto": 8,
    "august": 8, "ago": 8, "aug": 8, "septiembre": 9, "setiembre": 9, "september": 9, "sept": 9,
    "sep": 9, "octubre": 10, "october": 10, "oct": 10, "noviembre": 11, "november": 11, "nov": 11,
    "diciembre": 12, "december": 12, "dic": 12, "dec": 12,
}
# Full names only where a month alone is read as vague: "may I", "vista al mar".
FULL_MONTHS = {name: number for name, number in _MONTHS.items() if len(name) > 4 or name in {
    "mayo", "may", "june", "july", "junio", "julio"}}
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH = rf"(?P<month>{_MONTH_NAMES})\b\.?"
_YEAR = r"(?:\s*,?\s*(?:de\s+|del\s+|of\s+)?(?P<year>\d{4})\b)?"
_NEXT = r"(?P<next>next|proximo|el\s+proximo|este|this|el|on|coming|the\s+coming|on\s+the\s+coming)"
_NEXT_WORDS = {"next", "proximo", "el proximo"}

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
    r"\b(?:(?P<following>(?:the\s+|el\s+)?(?:following|siguiente))\s+|"
    rf"(?:{_NEXT}\s+))?(?:fin\s+de\s+semana|finde|weekend)"
    r"(?P<after>\s+after\s+next|\s+(?:siguiente\s+al|despues\s+del)\s+(?:proximo|que\s+viene))?"
    r"(?P<next2>\s+que\s+viene|\s+proximo|\s+siguiente)?\b"
    r"(?P<later>\s*,?\s*(?:(?:no|not)\s*,?\s*)?(?:sino\s+)?(?:el|the)\s+(?:siguiente|otro|de\s+despues|following"
    r"(?:\s+(?:one|1))?|(?:one|1)\s+after|next\s+(?:one|1))\b)?"
)
_WEEKDAY_RE = re.compile(
    rf"\b(?:{_NEXT}\s+)?(?P<weekday>" + "|".join(WEEKDAYS) + r")\b(?P<next2>\s+que\s+viene|\s+proximo)?"
)
_BARE_DAY_RE = re.compile(
    r"\b(?P<intro>(?:el\s+dia|del\s+dia|el|del|desde\s+el|the|on\s+the|from\s+the|dia|day)\s+)?"
    r"(?P<day>\d{1,2})\b(?:\s*,?\s*(?P<year>\d{4})\b)?"
)
_NEXT_MONTH_DAY_RE = re.compile(
    r"\b(?:el\s+dia\s+|el\s+|the\s+|dia\s+)?(?P<day>\d{1,2})\s+(?:(?:of\s+)?(?:the\s+)?next\s+month"
    r"|del\s+mes\s+que\s+viene|del\s+proximo\s+mes|del\s+mes\s+proximo|del\s+mes\s+siguiente)\b"
)
_NEXT_MONTH_RE = re.compile(
    r"\b(?:mes\s+que\s+viene|proximo\s+mes|mes\s+proximo|mes\s+siguiente|next\s+month)\b"
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
    r"(?:(?:\bla\s+)?\b(?:check[\s-]?out|salida|salgo|salimos|saliendo|out|leaving|departing|departure"
    r"|nos\s+vamos|me\s+voy|nos\s+marchamos|volvemos|we\s+leave|i\s+leave|leave)\b"
    r"\s*(?:\b(?:el|on|the)\b|:)?\s*)?(?:\b(?:el\s+dia|el|the|on\s+the|on|dia|de)\b\s*)?$"
)
_CONNECTOR_WORD_RE = re.compile(
    r"-|–|—|\b(?:al|a|hasta|y|to|till|until|through|thru|and|check[\s-]?out|salida|salgo|salimos|out"
    r"|leaving|departing|departure|vamos|voy|marchamos|volvemos|leave)\b|&"
)
_WEEKDAY_GAP_RE = re.compile(r"^\s*,?\s*$")
_SPANISH_ORDINAL_RE = re.compile(r"\b(\d{1,2})(?:ro|ero|do|to|vo|no|mo)\b")
_PRIMERO_RE = re.compile(
    r"\b(?:primero|primer(?:\s+dia)?)(?=\s+(?:de|del|al|a|hasta|y)\b)|(?<=\bel )primero\b"
)
_ORDINAL_WORD = "|".join(_ORDINAL_WORDS)
_COMPOUND_ORDINAL_RE = re.compile(rf"\b(twenty|thirty)[\s-]({_ORDINAL_WORD})\b")
_ORDINAL_WORD_RE = re.compile(
    rf"\b(?P<lead>the\s+|(?:{_MONTH_NAMES})\.?\s+)(?P<word>{_ORDINAL_WORD})\b"
    rf"(?=\s*(?:of\b|to\b|till\b|until\b|through\b|thru\b|and\b|for\b|-|,|\.|\?|!|$|(?:{_MONTH_NAMES})\b))"
    rf"|\b(?P<word2>{_ORDINAL_WORD})(?=\s+of\b)"
)


@dataclass(frozen=True)
class Stay:
    """What a message says about the stay. Any part may be missing: "3 noches"
    gives only nights, "el 12 de marzo" only the check-in.

    `problem` says why the agent must ask instead of booking: "backwards"
    ("del 19 al 16"), "impossible" ("31 de abril", a year that has passed),
    "vague" ("en verano") or "ambiguous" ("03/04" from an English guest, a weekday
    that contradicts its date). `options` are the readings to offer; for "vague"
    they are windows (a season's first and last day, each weekend of a month).
    `day_only` means no month was written, so a caller may re-anchor the days.
    A Stay with only a problem is still falsy: there is nothing to put in slots."""

    check_in: datetime.date | None = None
    check_out: datetime.date | None = None
    nights: int | None = None
    problem: str | None = None
    options: tuple[Option, ...] = ()
    day_only: bool = False

    def __bool__(self) -> bool:
        return bool(self.check_in or self.check_out or self.nights)


@dataclass(frozen=True)
class _Context:
    today: datetime.date
    base: datetime.date  # where day-only dates start: today, or the anchor's month
    language: str
    anchor: datetime.date | None = None  # the check-in being discussed


@dataclass
class _Atom:
    """One date mention. Either `date` is known outright (today, Friday) or it is
    partial: a day, maybe a month, maybe a year."""

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
    alt: tuple[int, int] | None = None  # the other (day, month) of "03/04"
    expect_weekday: int | None = None  # "viernes 12": the 12th should be a Friday


@dataclass(frozen=True)
class _Reading:
    check_in: datetime.date | None
    check_out: datetime.date | None = None
    problem: str | None = None
    options: tuple[Option, ...] = ()
    day_only: bool = False


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _on_or_after(
    day: int, month: int | None, year: int | None, anchor: datetime.date
) -> datetime.date | None:
    """The first date with this day (and month, and year) not before `anchor`.
    Dates without a year that have passed this year are next year's; no further:
    "29 de febrero" in 2027 is not silently 2028."""
    if year is not None and month is not None:
        return _safe_date(year, month, day)
    if month is not None:
        for year in (anchor.year, anchor.year + 1):
            found = _safe_date(year, month, day)
            if found and found >= anchor:
                return found
        return None
    for step in range(0, 3):
        y, m = add_months(anchor.year, anchor.month, step)
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


# Scanning: each pattern turns a match into an atom; earlier patterns win overlaps.

def _iso_atom(m: re.Match, ctx: _Context) -> _Atom:
    return _Atom(m.start(), m.end(), day=int(m["b"]), month=int(m["a"]), year=int(m["year"]))


def _numeric_atom(m: re.Match, ctx: _Context) -> _Atom | None:
    a, b = int(m["a"]), int(m["b"])
    year = _full_year(m["year"])
    parts = _numeric_parts(a, b, ctx.language)
    if parts is None:
        day, month = (b, a) if ctx.language == "en" else (a, b)
        if 32 <= day <= 39 and 1 <= month <= 12:  # "32/5": a slip of the finger, to be asked
            return _Atom(m.start(), m.end(), day=day, month=month, year=year)
        return None
    alt = None
    if ctx.language == "en" and a != b and a <= 12 and b <= 12:
        alt = (parts[1], parts[0])  # 03/04: March 4 in Boston, April 3 in London
    return _Atom(m.start(), m.end(), day=parts[0], month=parts[1], year=year, alt=alt)


def _next_month_atom(m: re.Match, ctx: _Context) -> _Atom:
    year, month = add_months(ctx.today.year, ctx.today.month, 1)
    return _Atom(m.start(), m.end(), day=int(m["day"]), month=month, year=year)


def _named_month_atom(m: re.Match, ctx: _Context) -> _Atom | None:
    day = int(m["day"])
    if not 1 <= day <= 31:
        return None
    return _Atom(m.start(), m.end(), day=day, month=_MONTHS[m["month"]], year=_full_year(m["year"]))


def _relative_atom(m: re.Match, ctx: _Context, text: str) -> _Atom | None:
    if m["word"] == "manana" and re.search(r"\bla\s+$", text[:m.start()]):
        return None  # "por la mañana" is the morning, not tomorrow
    days = _RELATIVE_DAYS[re.sub(r"\s+", " ", m["word"])]
    return _Atom(m.start(), m.end(), date=ctx.today + datetime.timedelta(days=days))


def _is_next(m: re.Match) -> bool:
    return bool(m["next2"]) or (m["next"] or "").strip() in _NEXT_WORDS


def _weekend_atom(m: re.Match, ctx: _Context) -> _Atom:
    """"the weekend after next", "el finde que viene no, el siguiente": a week later."""
    later = bool(m["after"]) or bool(m["later"])
    following = bool(m["following"]) or (m["next2"] or "").strip() == "siguiente"
    if following and ctx.anchor and not later:
        # "and the following weekend?" after a stay was discussed: the one after it.
        friday = ctx.anchor + datetime.timedelta(days=(4 - ctx.anchor.weekday()) % 7 or 7)
        return _Atom(m.start(), m.end(), date=friday, span_to=friday + 2 * DAY)
    friday = _weekend_friday(ctx.today, _is_next(m) or later or following)
    if later:
        friday += datetime.timedelta(days=7)
    return _Atom(m.start(), m.end(), date=max(friday, ctx.today), span_to=friday + 2 * DAY)


def _weekday_atom(m: re.Match, ctx: _Context) -> _Atom:
    return _Atom(m.start(), m.end(), date=_weekday_from(WEEKDAYS[m["weekday"]], ctx.today, _is_next(m)),
                 weekday=True)


def _bare_atom(m: re.Match, ctx: _Context) -> _Atom | None:
    day = int(m["day"])
    if not 1 <= day <= 31:
        return None
    return _Atom(m.start(), m.end(), day=day, year=_full_year(m["year"]), bare=True,
                 introduced=bool(m["intro"]))


_SCANNERS = (
    (_ISO_RE, _iso_atom),
    (_NUMERIC_DASH_RE, _numeric_atom),
    (_NUMERIC_RE, _numeric_atom),
    (_NEXT_MONTH_DAY_RE, _next_month_atom),
    (_DAY_MONTH_RE, _named_month_atom),
    (_MONTH_DAY_RE, _named_month_atom),
    (_RELATIVE_RE, None),
    (_WEEKEND_RE, _weekend_atom),
    (_WEEKDAY_RE, _weekday_atom),
    (_BARE_DAY_RE, _bare_atom),
)


def _scan(text: str, ctx: _Context) -> list[_Atom]:
    atoms: list[_Atom] = []
    for pattern, build in _SCANNERS:
        for m in pattern.finditer(text):
            atom = _relative_atom(m, ctx, text) if build is None else build(m, ctx)
            if atom and all(atom.end <= other.start or atom.start >= other.end for other in atoms):
                atoms.append(atom)
    atoms.sort(key=lambda atom: atom.start)
    return _merge_weekdays(atoms, text)


def _merge_weekdays(atoms: list[_Atom], text: str) -> list[_Atom]:
    """"viernes 12", "Friday the 14th", "Friday, March 12": one date whose weekday
    is a check, not a second date."""
    merged: list[_Atom] = []
    for atom in atoms:
        previous = merged[-1] if merged else None
        if (previous and previous.weekday and atom.date is None
                and _WEEKDAY_GAP_RE.match(text[previous.end:atom.start])):
            merged[-1] = replace(atom, start=previous.start, introduced=True,
                                 expect_weekday=previous.date.weekday())
        else:
            merged.append(atom)
    return merged


# Resolving atoms into dates.

def _is_connector(gap: str) -> bool:
    return bool(_CONNECTOR_RE.match(gap)) and bool(_CONNECTOR_WORD_RE.search(gap))


def _resolve(atom: _Atom, ctx: _Context) -> datetime.date | None:
    if atom.date is not None:
        return atom.date
    return _on_or_after(atom.day, atom.month, atom.year, ctx.base if atom.month is None else ctx.today)


def _lend_year(first: _Atom, second: _Atom) -> _Atom:
    """"del 24 de diciembre al 2 de enero de 2027": the year of the end is the
    start's too, or the one before when the months go over New Year."""
    if first.date is not None or first.year is not None or second.year is None:
        return first
    same_year = first.month is None or second.month is None or first.month <= second.month
    return replace(first, year=second.year if same_year else second.year - 1)


def _range_ending_in_month(first: _Atom, second: _Atom, ctx: _Context):
    """"del 28 al 2 de junio": the month of the end, or the one before it."""
    check_out = _on_or_after(second.day, second.month, second.year, ctx.today)
    if check_out is None:
        return None, None
    y, m = check_out.year, check_out.month
    if first.day >= second.day:
        y, m = add_months(y, m, -1)
    check_in = _safe_date(y, m, first.day)
    if check_in is not None and check_in < ctx.today and second.year is None:
        check_in, check_out = _safe_date(y + 1, m, first.day), _safe_date(
            check_out.year + 1, check_out.month, check_out.day)
    return check_in, check_out


def _resolve_end(second: _Atom, check_in: datetime.date) -> datetime.date | None:
    if second.date is not None:
        check_out = second.date
        if second.weekday and check_out <= check_in:
            check_out += datetime.timedelta(days=7)
        return check_out
    return _on_or_after(second.day, second.month, second.year, check_in + DAY)


def _plain_range(first: _Atom, second: _Atom, ctx: _Context):
    """Check-in and check-out as written, before any judgement of them."""
    if first.date is None and first.month is None and second.date is None and second.month is not None:
        return _range_ending_in_month(first, second, ctx)
    first = _lend_year(first, second)
    check_in = _resolve(first, ctx)
    if check_in is None:
        return None, None
    return check_in, _resolve_end(second, check_in)


def _is_impossible(atom: _Atom, ctx: _Context) -> bool:
    return atom.date is None and atom.month is not None and _resolve(atom, ctx) is None


def _fixes(atom: _Atom, ctx: _Context) -> list[_Atom]:
    """The nearest real dates to "31 de abril": the last of April and the 1st of May."""
    year = atom.year or (ctx.today.year if atom.month >= ctx.today.month else ctx.today.year + 1)
    last = calendar.monthrange(year, atom.month)[1]
    next_year, next_month = add_months(year, atom.month, 1)
    return [replace(atom, day=last), replace(atom, day=1, month=next_month,
                                             year=next_year if atom.year else None)]


def _option(check_in: datetime.date | None, check_out: datetime.date | None) -> list[Option]:
    if check_in is None:
        return []
    return [(check_in, check_out if check_out and check_out > check_in else None)]


def _unique(options: list[Option]) -> tuple[Option, ...]:
    return tuple(dict.fromkeys(options))


def _impossible_range(first: _Atom, second: _Atom, ctx: _Context) -> _Reading:
    options: list[Option] = []
    for fixed_first in _fixes(first, ctx) if _is_impossible(first, ctx) else [first]:
        for fixed_second in _fixes(second, ctx) if _is_impossible(second, ctx) else [second]:
            options += _option(*_plain_range(fixed_first, fixed_second, ctx))
    return _Reading(None, problem="impossible", options=_unique(options))


def _goes_backwards(first: _Atom, second: _Atom, check_in: datetime.date, check_out: datetime.date) -> bool:
    nights = (check_out - check_in).days
    if nights <= 0:
        return True
    if first.day is None or second.day is None or first.date is not None or second.date is not None:
        return False
    if first.month is not None and second.month is not None and first.month != second.month:
        return (second.month, second.day) < (first.month, first.day) and nights > 2 * _PLAUSIBLE_NIGHTS
    return second.day <= first.day and nights > _CROSSING_NIGHTS


def _backwards(reading: _Reading, first: _Atom, second: _Atom, ctx: _Context) -> _Reading | None:
    """"del 19 al 16": offer 16 to 19, and 19 to the 16th of next month; never swap silently."""
    check_in, check_out = reading.check_in, reading.check_out
    if check_out is None or not _goes_backwards(first, second, check_in, check_out):
        return None
    options = _option(*_plain_range(second, first, ctx))
    if 0 < (check_out - check_in).days <= 2 * _PLAUSIBLE_NIGHTS:
        options += _option(check_in, check_out)  # "del 19 al 16": maybe the 16th of next month
    return _Reading(None, problem="backwards", options=_unique(options), day_only=reading.day_only)


def _passed(reading: _Reading, first: _Atom, second: _Atom | None, ctx: _Context) -> _Reading | None:
    """"el 12 de marzo de 2025" said in 2026 has passed: offer the same days ahead. The
    dates stay as written, so the agent can say they have passed; they are not a guess."""
    if reading.check_in is None or reading.check_in >= ctx.today:
        return None
    first = replace(first, year=None)
    if second is None:
        options = _option(_resolve(first, ctx), None)
    else:
        options = _option(*_plain_range(first, replace(second, year=None), ctx))
    return replace(reading, problem="impossible", options=_unique(options))


def _nearest_weekday(day: datetime.date, weekday: int | None, today: datetime.date) -> datetime.date:
    if weekday is None:
        return day
    ahead = (weekday - day.weekday()) % 7
    found = day + datetime.timedelta(days=ahead - 7 if ahead > 3 else ahead)
    return found if found >= today else found + datetime.timedelta(days=7)


def _matching_month(reading: _Reading, first: _Atom, second: _Atom | None) -> list[Option]:
    """"viernes 12" with no month: the next month whose 12th is a Friday."""
    check_in, check_out = reading.check_in, reading.check_out
    nights = (check_out - check_in) if check_out else None
    for step in range(1, 15):
        y, m = add_months(check_in.year, check_in.month, step)
        start = _safe_date(y, m, check_in.day)
        end = start + nights if start and nights else None
        if start and start.weekday() == first.expect_weekday and (
            second is None or second.expect_weekday is None
            or (end and end.weekday() == second.expect_weekday)
        ):
            return [(start, end)]
    return []


def _weekday_clash(reading: _Reading, first: _Atom, second: _Atom | None, ctx: _Context) -> _Reading | None:
    """"del viernes 12 al domingo 14" when the 12th is a Saturday: the date is
    kept, and the weekday readings are offered."""
    check_in, check_out = reading.check_in, reading.check_out
    first_clash = first.expect_weekday is not None and check_in.weekday() != first.expect_weekday
    second_clash = (second is not None and second.expect_weekday is not None and check_out is not None
                    and check_out.weekday() != second.expect_weekday)
    if not (first_clash or second_clash):
        return None
    start = _nearest_weekday(check_in, first.expect_weekday, ctx.today)
    end = _nearest_weekday(check_out, second.expect_weekday, ctx.today) if second and check_out else None
    options = _option(check_in, check_out)
    if reading.day_only and first.expect_weekday is not None:
        options += _matching_month(reading, first, second)
    options += _option(start, end)
    return replace(reading, problem="ambiguous", options=_unique(options))


def _judged(reading: _Reading, first: _Atom, second: _Atom | None, ctx: _Context) -> _Reading:
    if second is not None:
        found = _backwards(reading, first, second, ctx)
        if found:
            return found
    return _passed(reading, first, second, ctx) or _weekday_clash(reading, first, second, ctx) or reading


def _read_range_as_written(first: _Atom, second: _Atom, ctx: _Context) -> _Reading | None:
    if _is_impossible(first, ctx) or _is_impossible(second, ctx):
        return _impossible_range(first, second, ctx)
    check_in, check_out = _plain_range(first, second, ctx)
    if check_in is None:
        return None
    day_only = first.date is None and first.month is None and second.date is None and second.month is None
    return _judged(_Reading(check_in, check_out, day_only=day_only), first, second, ctx)


def _swapped(atom: _Atom) -> _Atom:
    if atom.alt is None:
        return atom
    return replace(atom, day=atom.alt[0], month=atom.alt[1], alt=None)


def _plausible(reading: _Reading | None) -> bool:
    if reading is None or reading.problem or reading.check_in is None:
        return False
    return reading.check_out is None or 0 < (reading.check_out - reading.check_in).days <= _PLAUSIBLE_NIGHTS


def _choose(readings: list[_Reading | None]) -> _Reading | None:
    """Of "03/04"'s two readings, the one that makes a sensible stay; both, as a
    question, when both do."""
    plausible = [reading for reading in readings if _plausible(reading)]
    if len(plausible) == 1:
        return plausible[0]
    if len(plausible) > 1:
        options = [(reading.check_in, reading.check_out) for reading in plausible]
        return _Reading(None, problem="ambiguous", options=_unique(options))
    return readings[0]


def _read_range(first: _Atom, second: _Atom, ctx: _Context) -> _Reading | None:
    reading = _read_range_as_written(first, second, ctx)
    if first.alt is None and second.alt is None:
        return reading
    return _choose([reading, _read_range_as_written(_swapped(first), _swapped(second), ctx)])


def _read_single_as_written(atom: _Atom, ctx: _Context, nights: int | None) -> _Reading | None:
    if _is_impossible(atom, ctx):
        return _Reading(None, problem="impossible", options=_unique(
            [option for fixed in _fixes(atom, ctx) for option in _option(_resolve(fixed, ctx), None)]))
    check_in = _resolve(atom, ctx)
    if check_in is None:
        return None
    check_out = atom.span_to if atom.span_to and not nights else None
    reading = _Reading(check_in, check_out, day_only=atom.bare)
    return _judged(reading, atom, None, ctx)


def _read_single(atom: _Atom, ctx: _Context, nights: int | None) -> _Reading | None:
    reading = _read_single_as_written(atom, ctx, nights)
    if atom.alt is None:
        return reading
    return _choose([reading, _read_single_as_written(_swapped(atom), ctx, nights)])


def _first_listed(atoms: list[_Atom], index: int, text: str, check_in: datetime.date) -> datetime.date:
    """"el 13, 14 y 15": the list's first night, for days written before the pair read."""
    while index > 0:
        before, atom = atoms[index - 1], atoms[index]
        if not (before.bare and before.day and _LIST_GAP_RE.match(text[before.end:atom.start])):
            break
        moved = _safe_date(check_in.year, check_in.month, before.day)
        if moved is None or moved >= check_in:
            break
        check_in, index = moved, index - 1
    return check_in


def _find_range(atoms: list[_Atom], text: str, ctx: _Context) -> _Reading | None:
    for index, (first, second) in enumerate(zip(atoms, atoms[1:], strict=False)):
        if first.span_to or second.span_to or not _is_connector(text[first.end:second.start]):
            continue
        introduced = first.introduced or second.introduced or _RANGE_INTRO_RE.search(text[:first.start])
        if first.bare and second.bare and not introduced:
            continue
        reading = _read_range(first, second, ctx)
        if reading and reading.check_out and not reading.problem and _lists_nights(text, first, second):
            check_in = _first_listed(atoms, index, text, reading.check_in)
            reading = replace(reading, check_in=max(check_in, ctx.today), check_out=reading.check_out + DAY)
        if reading and (reading.check_in or reading.problem):
            return reading
    return None


_LIST_GAP_RE = re.compile(r"^\s*(?:,|&|\by\b|\band\b)\s*(?:\b(?:el|the)\b\s*)?$")
_BETWEEN_RE = re.compile(r"(?:\bentre(?:\s+el)?|\bbetween(?:\s+the)?)\s*$")


def _lists_nights(text: str, first: _Atom, second: _Atom) -> bool:
    """"el 13 y 14 de febrero" names the nights, so the guest leaves on the 15th;
    "entre el 13 y el 15" and "del 13 al 15" name the days of arrival and departure."""
    return bool(_LIST_GAP_RE.match(text[first.end:second.start])) and not _BETWEEN_RE.search(
        text[:first.start])


def _find_single(atoms: list[_Atom], ctx: _Context, nights: int | None) -> _Reading | None:
    for atom in atoms:
        if atom.bare and not atom.introduced:
            continue
        reading = _read_single(atom, ctx, nights)
        if reading and (reading.check_in or reading.problem):
            return reading
    return None


# Vague stays: a season, a holiday, a month, "next month sometime".

_SEASONS = {  # (first month, day), (last month, day)
    "spring": ((3, 20), (6, 20)), "summer": ((6, 21), (9, 22)), "autumn": ((9, 23), (12, 20)),
    "winter": ((12, 21), (3, 19)),
}
_SEASON_WORDS = {
    "primavera": "spring", "spring": "spring", "verano": "summer", "summer": "summer", "otono": "autumn",
    "autumn": "autumn", "fall": "autumn", "invierno": "winter", "winter": "winter",
}
_SEASON_RE = re.compile(
    r"\b(?:primavera|spring|verano|summer|otono|autumn|invierno|winter)\b"
    r"|\b(?:in|this|next|the)\s+(?P<fall>fall)\b"
)
_HOLIDAY_RE = re.compile(
    r"\b(?P<christmas>navidad(?:es)?|christmas|xmas)\b|\b(?P<nye>nochevieja|fin\s+de\s+ano|new\s+years?'?s?\s+eve)\b"
    r"|\b(?P<easter>semana\s+santa|easter)\b"
    r"|\bpuente\s+(?:de\s+|del\s+)?(?:la\s+)?(?P<bridge>diciembre|constitucion|inmaculada|mayo|agosto|pilar"
    r"|octubre|todos\s+los\s+santos|noviembre|reyes)\b"
)
# A Spanish "puente": the holiday and the days a guest might join to it, to ask
# within ("¿qué días, entre el 4 y el 9 de diciembre?"); the holidays themselves
# fall on fixed dates, the weekday they fall on moves the bridge.
_BRIDGES = {
    "diciembre": ((12, 4), (12, 9)), "constitucion": ((12, 4), (12, 9)), "inmaculada": ((12, 4), (12, 9)),
    "mayo": ((4, 29), (5, 4)), "agosto": ((8, 13), (8, 18)), "pilar": ((10, 10), (10, 14)),
    "octubre": ((10, 10), (10, 14)), "todos los santos": ((10, 30), (11, 3)),
    "noviembre": ((10, 30), (11, 3)),
    "reyes": ((1, 3), (1, 7)),
}
_WEEKEND_IN_MONTH_RE = re.compile(
    rf"\b(?:algun|un|some|a|any|one)\s+(?:finde|fin\s+de\s+semana|weekend)\s+(?:de|en|in|of)\s+"
    rf"(?:el\s+mes\s+de\s+)?{_MONTH}"
)
_FULL_MONTH = "(?P<month>" + "|".join(sorted(FULL_MONTHS, key=len, reverse=True)) + r")\b"
_MONTH_ONLY_RE = re.compile(
    r"\b(?:(?:en|in|para|for|durante|during|around|por|sometime\s+in|some\s+time\s+in"
    r"|a\s+(?:principios|mediados|finales)\s+de)\s+|(?:early|mid|late)(?:\s+in)?[\s-]+)(?:el\s+mes\s+de\s+)?"
    rf"{_FULL_MONTH}|\b{_FULL_MONTH.replace('<month>', '<month2>')}\s+sometime\b"
)
_MONTH_RELATIVE_RE = re.compile(
    r"\b(?P<next>next\s+month|el\s+mes\s+que\s+viene|el\s+proximo\s+mes|el\s+mes\s+proximo|el\s+mes\s+siguiente)\b"
    r"|\b(?:this\s+month|este\s+mes)\b"
)
_WEEK_RELATIVE_RE = re.compile(
    r"\b(?P<next>next\s+week|la\s+semana\s+que\s+viene|la\s+proxima\s+semana|la\s+semana\s+proxima)\b"
    r"|\b(?:this\s+week|esta\s+semana)\b"
)
_SOMETIME_RE = re.compile(
    r"\b(?:sometime|some\s+time|algun\s+dia|algun\s+momento|cualquier\s+fecha|any\s+date)\b"
)


def _easter(year: int) -> datetime.date:
    """Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    lw = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * lw) // 451
    month = (h + lw - 7 * m + 114) // 31
    return datetime.date(year, month, (h + lw - 7 * m + 114) % 31 + 1)


def _next_window(today: datetime.date, window) -> Option:
    """The first occurrence of a yearly window not yet over, from today if it has begun."""
    for year in (today.year - 1, today.year, today.year + 1):
        start, end = window(year)
        if end >= today:
            return max(start, today), end
    raise AssertionError("a yearly window always comes round")


def _season(name: str) -> Callable[[int], tuple[datetime.date, datetime.date]]:
    (first_month, first_day), (last_month, last_day) = _SEASONS[name]

    def window(year: int) -> tuple[datetime.date, datetime.date]:
        end_year = year + 1 if last_month < first_month else year
        return datetime.date(year, first_month, first_day), datetime.date(end_year, last_month, last_day)
    return window


def _holiday_window(m: re.Match):
    if m["christmas"]:
        return lambda year: (datetime.date(year, 12, 24), datetime.date(year, 12, 26))
    if m["nye"]:
        return lambda year: (datetime.date(year, 12, 31), datetime.date(year + 1, 1, 1))
    if m["bridge"]:
        (first_month, first_day), (last_month, last_day) = _BRIDGES[re.sub(r"\s+", " ", m["bridge"])]
        return lambda year: (datetime.date(year, first_month, first_day),
                             datetime.date(year, last_month, last_day))
    return lambda year: (_easter(year) - 3 * DAY, _easter(year))


def _month_window(month: int, today: datetime.date) -> Option:
    year = today.year if month >= today.month else today.year + 1
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return max(datetime.date(year, month, 1), today), last


def _weekends_in(month: int, today: datetime.date) -> tuple[Option, ...]:
    start, end = _month_window(month, today)
    fridays = (start + datetime.timedelta(days=offset) for offset in range((end - start).days + 1))
    return tuple((friday, friday + 2 * DAY) for friday in fridays if friday.weekday() == 4)


def _relative_window(m: re.Match, today: datetime.date, weeks: bool) -> Option:
    if weeks:
        monday = today - datetime.timedelta(days=today.weekday()) + (7 * DAY if m["next"] else 0 * DAY)
        return max(monday, today), monday + 6 * DAY
    year, month = add_months(today.year, today.month, 1 if m["next"] else 0)
    first = datetime.date(year, month, 1)
    return max(first, today), datetime.date(year, month, calendar.monthrange(year, month)[1])


def _vague(text: str, today: datetime.date) -> _Reading | None:
    """No concrete days, only when roughly: the windows to ask within."""
    if m := _WEEKEND_IN_MONTH_RE.search(text):
        return _Reading(None, problem="vague", options=_weekends_in(_MONTHS[m["month"]], today))
    if m := _HOLIDAY_RE.search(text):
        return _Reading(None, problem="vague", options=(_next_window(today, _holiday_window(m)),))
    if m := _SEASON_RE.search(text):
        name = _SEASON_WORDS[m["fall"] or m.group(0)]
        return _Reading(None, problem="vague", options=(_next_window(today, _season(name)),))
    if m := _MONTH_ONLY_RE.search(text):
        month = FULL_MONTHS[m["month"] or m["month2"]]
        return _Reading(None, problem="vague", options=(_month_window(month, today),))
    for pattern, weeks in ((_MONTH_RELATIVE_RE, False), (_WEEK_RELATIVE_RE, True)):
        if m := pattern.search(text):
            return _Reading(None, problem="vague", options=(_relative_window(m, today, weeks),))
    if _SOMETIME_RE.search(text):
        return _Reading(None, problem="vague")
    return None


_FALLBACK_HINT_RE = re.compile(r"\d|\b(?:month|months|mes|meses)\b")


def _fallback(text: str, today: datetime.date, language: str) -> datetime.date | None:
    """dateparser for phrasings our grammar lacks ("in a month", "dentro de un
    mes"). Trusted only when the match names a day or a month offset and is not
    in the past: it reads "may I book" as a month."""
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


def _ordinals(text: str) -> str:
    """"1ro", "el primero de mayo", "the first of May", "May twenty-first" as digits."""
    text = _COMPOUND_ORDINAL_RE.sub(
        lambda m: str((20 if m[1] == "twenty" else 30) + _ORDINAL_WORDS[m[2]]), text)
    text = _ORDINAL_WORD_RE.sub(
        lambda m: f"{m['lead']}{_ORDINAL_WORDS[m['word']]}" if m["word"] else str(_ORDINAL_WORDS[m["word2"]]),
        text)
    text = _PRIMERO_RE.sub("1", text)
    return _SPANISH_ORDINAL_RE.sub(r"\1", text)


# Misspelt months next to a day ("12 de henero", "janury 12"): read as the month,
# not dropped, or "12 de henero" is the 12th of this month. Words a slip away
# from a month that guests do write next to a number are not months.
_MONTH_TYPO_RE = re.compile(
    r"\b(?P<day>\d{1,2})(?P<gap>\s+(?:de\s+|del\s+|of\s+)?)(?P<word>[a-z]{4,11})\b"
    r"|\b(?P<word2>[a-z]{4,11})(?P<gap2>\s+)(?P<day2>\d{1,2})\b"
)
_SPELT_MONTHS = sorted({name for name in _MONTHS if len(name) >= 5})
_NOT_MONTHS = frozenset({"junto", "juntos", "junior", "marco", "julia", "julie", "mayor", "abrir", "match"})


def _month_for(word: str) -> str | None:
    """The month `word` misspells: one slip, or two in a long name that starts
    with the same letter ("nobiembre", "feburary"; not "remember")."""
    if word in _MONTHS or word in _NOT_MONTHS:
        return None
    for name in _SPELT_MONTHS:
        allowed = 2 if len(name) >= 7 and word[0] == name[0] else 1
        if OSA.distance(word, name, score_cutoff=allowed) <= allowed:
            return name
    return None


def _fix_month_typos(text: str) -> str:
    def fixed(m: re.Match) -> str:
        if m["word"]:
            month = _month_for(m["word"])
            return f"{m['day']}{m['gap']}{month}" if month else m.group(0)
        month = _month_for(m["word2"])
        return f"{month}{m['gap2']}{m['day2']}" if month else m.group(0)

    return _MONTH_TYPO_RE.sub(fixed, text)


# "next fri-sun", "vie a dom", "on sat": weekdays as phones abbreviate them. Spelled
# out only in a range or after "next/this/on…", so "a room with sun" stays the sun.
_SHORT_DAYS = {
    "mon": "monday", "tue": "tuesday", "tues": "tuesday", "wed": "wednesday", "thu": "thursday",
    "thur": "thursday", "thurs": "thursday", "fri": "friday", "sat": "saturday", "sun": "sunday",
    "lun": "lunes", "mie": "miercoles", "jue": "jueves", "vie": "viernes", "sab": "sabado", "dom": "domingo",
}
_SHORT_DAY = r"(?:" + "|".join(sorted(_SHORT_DAYS, key=len, reverse=True)) + r")\.?"
_SHORT_DAY_RANGE_RE = re.compile(
    rf"\b({_SHORT_DAY})\s*(-|–|/|\bto\b|\btill\b|\buntil\b|\bthru\b|\bthrough\b|\ba\b|\bal\b|\bhasta\b)\s*"
    rf"({_SHORT_DAY})(?![\w@])"
)
_SHORT_DAY_AFTER_RE = re.compile(rf"\b(next|this|on|coming|el|este|proximo)\s+({_SHORT_DAY})(?![\w@])")


def _spelled_days(text: str) -> str:
    def day(word: str) -> str:
        return _SHORT_DAYS[word.rstrip(".")]

    text = _SHORT_DAY_RANGE_RE.sub(lambda m: f"{day(m.group(1))} {_range_word(m.group(2))} {day(m.group(3))}",
                                   text)
    return _SHORT_DAY_AFTER_RE.sub(lambda m: f"{m.group(1)} {day(m.group(2))}", text)


def _range_word(separator: str) -> str:
    return "al" if separator in ("a", "al", "hasta") else "to"


# "how are you doing today?", "¿qué tal estás hoy?": a greeting's day, not a stay's.
_PLEASANTRY_DAY_RE = re.compile(
    r"\b(?:how\s+(?:are|r)\s+(?:you|u|ya)(?:\s+(?:doing|guys))?|how'?s\s+(?:it\s+going|your\s+day)"
    r"|que\s+tal(?:\s+(?:estas|estais|va|el\s+dia))?|como\s+(?:estas|estais|va)(?:\s+todo)?)"
    r"\s+(?:today|hoy|this\s+morning|esta\s+manana)\b"
)


# "friday night", "el sábado por la noche", "tomorrow morning": the day is a date, the
# rest a time of day. Spaced out (not blanked) so "friday night and leave sunday"
# is still a range.
_TIME_OF_DAY_RE = re.compile(
    rf"\b{DAY_WORDS}(?P<time>(?:\s+(?:por|en)\s+la|\s+at)?\s+(?:night|noche|evening|tarde|morning))\b"
)


def _without_times_of_day(text: str) -> str:
    for match in reversed(list(_TIME_OF_DAY_RE.finditer(text))):
        start, end = match.span("time")
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _date_text(text: str, today: datetime.date, language: str):
    """The normalized text with nights, guests and times hidden, plus what those said."""
    folded = _PLEASANTRY_DAY_RE.sub(lambda m: "|" * len(m.group(0)), _ordinals(fold(text)))
    normalized = _fix_month_typos(normalize(_spelled_days(folded), language))
    normalized = EMAIL_RE.sub(lambda m: "|" * len(m.group(0)), normalized)
    normalized = CODE_RE.sub(lambda m: "|" * len(m.group(0)), normalized)
    for match in list(phone_matches(normalized)):
        normalized = blank(normalized, match.start(), match.end())
    normalized = _TIME_RE.sub(lambda m: "|" * len(m.group(0)), normalized)
    normalized, offset_date = strip_offsets(normalized, today)
    normalized, nights = strip_nights(normalized)
    normalized, _ = strip_guests(_without_times_of_day(normalized))
    return normalized, offset_date, nights


_WEEKEND_OF_RE = re.compile(
    r"\b(?:fin\s+de\s+semana|finde|weekend)\s+(?:del|de\s+el|de|of(?:\s+the)?|around(?:\s+the)?)\s+(?=\d|[a-z]+\s+\d)"
)


def _weekend_of(day: datetime.date) -> datetime.date:
    """The Friday of the weekend a day belongs to: Friday to Sunday go back to their
    Friday, a weekday names the weekend that follows it."""
    return day + datetime.timedelta(days=4 - day.weekday())


def _read(text: str, ctx: _Context, offset_date: datetime.date | None, nights: int | None) -> _Reading | None:
    if _SEASON_RE.search(text) and not re.search(r"\d", text):
        return _vague(text, ctx.today)  # "en primavera algún finde" is not this weekend
    vague_weekend = _WEEKEND_IN_MONTH_RE.search(text)  # "algún finde de marzo" is not this weekend
    weekend_of = _WEEKEND_OF_RE.search(text)  # "el finde del 16 de enero" is that date's weekend
    hidden = vague_weekend or weekend_of
    atoms = _scan(blank(text, hidden.start(), hidden.end()) if hidden else text, ctx)
    reading = _find_range(atoms, text, ctx) or _find_single(atoms, ctx, nights)
    if weekend_of and reading and reading.check_in and not reading.check_out and not reading.problem:
        friday = _weekend_of(reading.check_in)
        reading = replace(reading, check_in=max(friday, ctx.today), check_out=friday + 2 * DAY)
    if reading is None and offset_date is not None:
        reading = _Reading(offset_date)
    if reading is None:
        reading = _vague(text, ctx.today)
    if reading is None:
        found = _fallback(text.replace("|", " "), ctx.today, ctx.language)
        reading = _Reading(found) if found else None
    return reading


def _with_nights(options: tuple[Option, ...], nights: int | None) -> tuple[Option, ...]:
    if not nights:
        return options
    return tuple((start, end or start + datetime.timedelta(days=nights)) for start, end in options)


def extract_stay(
    text: str, today: datetime.date, language: str = "es", *, anchor: datetime.date | None = None
) -> Stay:
    """Check-in, check-out and nights from one message, judged from the hotel's
    local `today`. A range wins over a number of nights; a single date with
    nights gives the check-out. `anchor` is the check-in of the stay being
    discussed: days without a month ("mejor del 14 al 16") are read in its month,
    never before today."""
    normalized, offset_date, nights = _date_text(text, today, language)
    base = max(today, anchor.replace(day=1)) if anchor else today
    if _NEXT_MONTH_RE.search(normalized):
        # "el mes que viene del 8 al 10": days without a month are next month's.
        year, month = add_months(today.year, today.month, 1)
        base = max(base, datetime.date(year, month, 1))
    current = anchor if anchor and anchor >= today else None
    ctx = _Context(today=today, base=base, language=language, anchor=current)
    reading = _read(normalized, ctx, offset_date, nights) or _Reading(None)
    extra = {"problem": reading.problem, "options": _with_nights(reading.options, nights),
             "day_only": reading.day_only}
    check_in, check_out = reading.check_in, reading.check_out
    if check_in and check_out and check_out > check_in:
        return Stay(check_in, check_out, (check_out - check_in).days, **extra)
    if check_in and nights:
        return Stay(check_in, check_in + datetime.timedelta(days=nights), nights, **extra)
    return Stay(check_in, None, nights, **extra)
