"""Figures as the reader of a back-office page reads them: in the language
their request speaks (tenants.staff_language), with Babel's CLDR data. One
place, so the dashboard, the reservation screens and the calendar agree."""
from babel.numbers import format_currency
from django.utils.translation import get_language, to_locale


def active_locale() -> str:
    """The Babel locale of the language active for this request ("es", "en_US")."""
    return to_locale(get_language() or "en")


def money(amount, currency: str) -> str:
    """"1.234,50 €" or "€1,234.50": the amount with its currency, in the reader's language."""
    return format_currency(amount, currency, locale=active_locale())
