"""One place that decides what guest-supplied text, emails and phones may look like.

Used by the API serializers, the services and (later) the agent, so a rule is
written once. Sanitized text is *plain text*: nh3 strips any markup, we unescape
the entities it leaves so "<3" stays "<3", and repeat until nothing changes so
that encoded markup cannot survive a round trip.
"""
import html
import unicodedata

import nh3
import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

_email_validator = EmailValidator()
_KEPT_CONTROLS = {"\n", "\t"}


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
    return "".join(
        ch for ch in text if ch in _KEPT_CONTROLS or unicodedata.category(ch) != "Cc"
    )


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
