"""One place that decides what guest-supplied text, emails, phones and dates may look like.

Used by the API serializers, the services and (later) the agent, so a rule is
written once. Sanitized text is *plain text*: nh3 strips any markup, we unescape
the entities it leaves so "<3" stays "<3", and repeat until nothing changes so
that encoded markup cannot survive a round trip.
"""
import datetime
import html
import math
import re
from typing import Any

import nh3
import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

_email_validator = EmailValidator()
_KEPT_CONTROLS = {"\n", "\t"}
# Unicode's Cc category is these 65 code points, fixed by the standard; all but the kept ones.
_CONTROLS = re.compile("[" + "".join(
    re.escape(chr(code)) for code in [*range(0x20), *range(0x7F, 0xA0)] if chr(code) not in _KEPT_CONTROLS
) + "]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_JSON_DEPTH = 32


def normalize_email(value: str) -> str:
    email = (value or "").strip().lower()
    try:
        _email_validator(email)
    except ValidationError:
        raise ValidationError(_("Enter a valid email address."), code="invalid_email") from None
    return email


def normalize_phone(value: str, *, region: str) -> str:
    """E.164 form of a phone number, read with the hotel's country as default region."""
    try:
        number = phonenumbers.parse((value or "").strip(), region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _strip_controls(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", text)


def _strip_markup(text: str) -> str:
    return nh3.clean(text, tags=set(), clean_content_tags={"script", "style"})


def sanitize_text(value: str, *, max_length: int) -> str:
    text = _strip_controls(value or "")
    for _round in range(10):
        cleaned = _strip_controls(html.unescape(_strip_markup(text)))
        if cleaned == text:
            break
        text = cleaned
    else:
        # Pathologically nested entities: keep them escaped rather than loop on.
        text = _strip_markup(text)
    text = text.strip()
    if len(text) > max_length:
        raise ValidationError(
            _("Ensure this text has at most %(max)d characters (it has %(length)d)."),
            params={"max": max_length, "length": len(text)},
            code="max_length",
        )
    return text


def validate_storable_moment(value: datetime.datetime | None) -> None:
    """Refuses a date-time with no UTC equivalent in years 1 to 9999. 9999-12-31 23:00
    at UTC−5 is year 10000 in UTC: PostgreSQL stores it, and no page can read it back."""
    if value is None or timezone.is_naive(value):
        return  # read in the default time zone, UTC: it is a UTC time already
    try:
        value.astimezone(datetime.UTC)
    except OverflowError:
        raise ValidationError(_("Enter a date between the years 1 and 9999."), code="out_of_range") from None


@deconstructible
class MomentInRange:
    """A date-time a person typed, from `years_back` years ago to `years_ahead` years
    ahead. Outside lies no real intention, only typos and placeholders like 9999-12-31,
    some of which do not exist in UTC (validate_storable_moment). Naive values are
    read in the default time zone, dates as their midnight."""

    def __init__(self, *, years_back: int, years_ahead: int):
        self.years_back, self.years_ahead = years_back, years_ahead

    def __call__(self, value: datetime.date | datetime.datetime | None) -> None:
        if value is None:
            return
        if not isinstance(value, datetime.datetime):
            value = datetime.datetime.combine(value, datetime.time())
        if timezone.is_naive(value):
            value = value.replace(tzinfo=timezone.get_default_timezone())
        now = timezone.now()
        earliest = now - datetime.timedelta(days=round(365.2425 * self.years_back))
        latest = now + datetime.timedelta(days=round(365.2425 * self.years_ahead))
        if not earliest <= value <= latest:  # aware datetimes compare without converting: no overflow
            raise ValidationError(
                _("Enter a date between %(earliest)s and %(latest)s."), code="out_of_range",
                params={"earliest": earliest.date().isoformat(), "latest": latest.date().isoformat()},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MomentInRange) and (self.years_back, self.years_ahead) == (
            other.years_back, other.years_ahead
        )


# When a blacklist entry stops applying. "Forever" is no expiry at all; the import
# refuses expiries already passed, and an entry may be edited for years after it expired.
validate_expiry = MomentInRange(years_back=10, years_ahead=10)


def storable_text(value: str) -> str:
    """`value` without what the database cannot hold. JSON's \\u escapes can carry
    NUL, which PostgreSQL refuses in text and JSONB, and lone surrogates, which no
    database driver can encode to UTF-8. NUL goes; a surrogate becomes U+FFFD, so
    the reader sees that something was there."""
    return _LONE_SURROGATE.sub("\ufffd", value.replace("\x00", ""))


def storable_json(value: Any, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parsed JSON as every database stores and reads it back: strings through
    `storable_text`, NaN and infinities (which json.loads accepts, `1e400`
    included, and JSONB does not) as null. In keys NUL becomes U+FFFD rather than
    going, so `"te\\u0000xt"` cannot overwrite a genuine `"text"`. ValueError past
    `max_depth` levels: what Meta or a browser sends is a few levels deep, and
    recursion must stay bounded."""
    if max_depth < 0:
        raise ValueError("JSON nested too deeply")
    if isinstance(value, dict):
        return {
            storable_text(str(key).replace("\x00", "\ufffd")): storable_json(item, max_depth=max_depth - 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [storable_json(item, max_depth=max_depth - 1) for item in value]
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
