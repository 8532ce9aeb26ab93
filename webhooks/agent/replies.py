"""Words the agent says, rendered from templates/replies/<language>/<name>.txt so a
hotel can reword them without touching code, plus the money, date and time
formats those templates are given (Babel, in the guest's language).

Replies are plain text for WhatsApp or a chat widget, not HTML: values are marked
safe so "O'Brien" is not sent as "O&#x27;Brien".
"""
import datetime
import functools
import re
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_percent
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

LANGUAGES = ("es", "en")
LOCALES = {"es": "es_ES", "en": "en_US"}
# The formats below are pure and a turn asks for the same few prices and days
# again and again (every room type's rate and total, the stay's dates): Babel's
# pattern formatting was a tenth of a turn. A bounded cache per process.
_formatted = functools.lru_cache(maxsize=4096)


def language_or_default(language: str | None) -> str:
    return language if language in LANGUAGES else LANGUAGES[0]


def _plain(value):
    if isinstance(value, str):
        return mark_safe(value)  # noqa: S308 - plain-text message, never HTML
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def render(name: str, language: str, **context) -> str:
    """One reply. Trailing spaces go and runs of blank lines left by template tags
    collapse to one, so templates can be laid out for reading."""
    language = language_or_default(language)
    text = render_to_string(f"replies/{language}/{name}.txt", _plain(context))
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@_formatted
def money(amount: Decimal, currency: str, language: str) -> str:
    """"1.234,50 €" for Spanish guests, "€1,234.50" for English ones."""
    return format_currency(amount, currency, locale=LOCALES[language_or_default(language)])


@_formatted
def percent(rate: Decimal, language: str) -> str:
    return format_percent(rate, locale=LOCALES[language_or_default(language)])


@_formatted
def long_date(day: datetime.date, language: str) -> str:
    """"viernes, 12 de marzo de 2027" / "Friday, March 12, 2027": the weekday
    lets the guest check that "este fin de semana" meant what they thought."""
    return format_date(day, format="full", locale=LOCALES[language_or_default(language)])


@_formatted
def clock(time: datetime.time, language: str) -> str:
    return format_time(time, format="short", locale=LOCALES[language_or_default(language)])


@_formatted
def short_date(day: datetime.date, language: str) -> str:
    """"16 ene" / "Jan 16": short enough for a WhatsApp button (≤ 20 characters)."""
    pattern = "d MMM" if language_or_default(language) == "es" else "MMM d"
    return format_date(day, format=pattern, locale=LOCALES[language_or_default(language)]).replace(".", "")
