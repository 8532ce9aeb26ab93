"""What security.validation promises for any input, checked on generated examples."""
import html
import re
import sys
import unicodedata

import nh3
import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from security.validation import _strip_controls, normalize_email, normalize_phone, sanitize_text

PROPERTIES = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAX_LENGTH = 300
KEPT_CONTROLS = {"\n", "\t"}
ELEMENT_START = re.compile(r"<[a-zA-Z/!?]")

# Text as guests type it, plus the markup, entities and controls an attacker would add.
pieces = st.sampled_from([
    "<script>alert(1)</script>", "<b>", "</i>", "<img src=x onerror=alert(1)>", "<!-- x -->", "<?php ?>",
    "<3", "<", ">", "&lt;", "&gt;", "&amp;", "&#60;", "&#x3c;", "&lt;b&gt;", "&amp;lt;script&amp;gt;",
    "\x00", "\x07", "\x1b[31m", "\r\n", "\r", "\x85", "\u2028", "\t", "\n", " ", "O'Brien", "ñ", "😊",
])
hostile_text = st.lists(st.one_of(pieces, st.text(max_size=20)), max_size=12).map("".join)
any_text = st.one_of(st.text(max_size=400), hostile_text)


def sanitized(text: str) -> str | None:
    try:
        return sanitize_text(text, max_length=MAX_LENGTH)
    except ValidationError:
        return None


@PROPERTIES
@given(any_text)
def test_sanitized_text_holds_no_markup(text):
    result = sanitized(text)
    assume(result is not None)

    assert ELEMENT_START.search(result) is None
    assert html.unescape(nh3.clean(result, tags=set())) == result  # nothing nh3 would treat as markup


@PROPERTIES
@given(any_text)
def test_sanitized_text_holds_no_control_characters_but_newlines_and_tabs(text):
    result = sanitized(text)
    assume(result is not None)

    assert [ch for ch in result if unicodedata.category(ch) == "Cc" and ch not in KEPT_CONTROLS] == []


def test_every_control_character_but_newline_and_tab_is_removed_and_nothing_else():
    """Over every code point: the sanitizer's character class is Unicode's Cc category."""
    every = "".join(map(chr, range(sys.maxunicode + 1))).replace("\r", "")
    expected = "".join(ch for ch in every if ch in KEPT_CONTROLS or unicodedata.category(ch) != "Cc")

    assert _strip_controls(every) == expected


@PROPERTIES
@given(any_text)
def test_sanitizing_twice_changes_nothing(text):
    result = sanitized(text)
    assume(result is not None)

    assert sanitize_text(result, max_length=MAX_LENGTH) == result


@PROPERTIES
@given(any_text, st.integers(min_value=0, max_value=50))
def test_sanitized_text_respects_the_length_limit(text, max_length):
    try:
        result = sanitize_text(text, max_length=max_length)
    except ValidationError as error:
        assert error.code == "max_length"
    else:
        assert len(result) <= max_length


def _is_normalized_email(value: str) -> bool:
    try:
        EmailValidator()(value)
    except ValidationError:
        return False
    return value == value.strip().lower()


@PROPERTIES
@given(st.emails().map(str.lower).filter(_is_normalized_email))
def test_a_normalized_email_survives_normalization_unchanged(email):
    assert normalize_email(email) == email


REGIONS = ["ES", "US", "GB", "FR", "DE", "IT", "PT", "NL", "MX", "AR", "BR", "CO", "CL", "JP", "AU", "IN",
           "CA", "CH", "IE", "MA"]
KINDS = [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
E164_EXAMPLES = sorted({
    phonenumbers.format_number(
        phonenumbers.example_number_for_type(region, kind), phonenumbers.PhoneNumberFormat.E164
    )
    for region in REGIONS for kind in KINDS
})


@pytest.mark.parametrize("phone", E164_EXAMPLES)
def test_an_e164_phone_survives_normalization_unchanged_in_every_hotel_country(phone):
    for region in (None, "ES", "US", "GB"):
        assert normalize_phone(phone, region=region) == phone


@pytest.mark.parametrize("phone", E164_EXAMPLES)
def test_a_phone_written_nationally_reads_as_the_same_e164_in_its_own_country(phone):
    number = phonenumbers.parse(phone)
    region = phonenumbers.region_code_for_number(number)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)

    assert normalize_phone(national, region=region) == phone
