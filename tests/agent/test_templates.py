"""Every reply exists in both languages and renders, so a hotel can reword any of them."""
from pathlib import Path

import pytest
from django.conf import settings

from webhooks.agent import replies

REPLIES = Path(settings.BASE_DIR) / "templates" / "replies"


def names(language):
    return sorted(path.stem for path in (REPLIES / language).glob("*.txt"))


def test_spanish_and_english_have_the_same_replies():
    assert names("es") == names("en")
    assert len(names("es")) > 30


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_reply_renders_without_context(language):
    for name in names(language):
        assert replies.render(name, language, hotel={"name": "Hotel"}) or name.startswith("_")


def test_replies_are_plain_text_not_html():
    assert replies.render("booked", "en", code="HA-2345AB", guest_name="O'Brien & Sons",
                          room="Suite <deluxe>", hotel={}).count("Suite <deluxe>") == 1


def test_money_follows_the_guests_language():
    from decimal import Decimal

    assert replies.money(Decimal("1234.5"), "EUR", "es") == "1.234,50\xa0€"
    assert replies.money(Decimal("1234.5"), "EUR", "en") == "€1,234.50"
    assert replies.money(Decimal("1234.5"), "USD", "en") == "$1,234.50"
