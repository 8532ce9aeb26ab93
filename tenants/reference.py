"""Reference data (time zones, countries, currencies) validated against
well-kept sources instead of hand-typed lists: zoneinfo for IANA zones and
Babel's CLDR data for ISO 3166 countries and ISO 4217 currencies."""
import functools
import zoneinfo

from babel import Locale
from babel.numbers import get_currency_precision, list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@functools.cache
def timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


# CLDR names regions that are not ISO 3166-1 countries: groupings (EU, EZ, UN, QO),
# pseudo-locales (XA, XB), the unknown region (ZZ) and exceptional reservations.
# As a hotel's country they would make every local guest phone number unreadable.
_CLDR_NON_COUNTRIES = frozenset({"CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "UN", "XA", "XB", "ZZ"})


@functools.cache
def country_codes() -> frozenset[str]:
    return frozenset(
        code for code in Locale("en").territories
        if len(code) == 2 and code.isalpha() and code not in _CLDR_NON_COUNTRIES
    )


@functools.cache
def currency_codes() -> frozenset[str]:
    return frozenset(list_currencies())


@functools.cache
def currency_minor_units(currency: str) -> int:
    """Digits after the decimal point (EUR 2, JPY 0) per CLDR. Cached: every
    amount of every quote is rounded with it, and CLDR does not change while
    the process runs."""
    return get_currency_precision(currency)


def validate_timezone(value: str) -> None:
    if value not in timezone_names():
        raise ValidationError(_("%(value)s is not an IANA time zone."), params={"value": value})


def validate_country(value: str) -> None:
    if value not in country_codes():
        raise ValidationError(_("%(value)s is not an ISO 3166 country code."), params={"value": value})


def validate_currency(value: str) -> None:
    if value not in currency_codes():
        raise ValidationError(_("%(value)s is not an ISO 4217 currency code."), params={"value": value})
