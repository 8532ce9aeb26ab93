"""Guests ask whether a longer stay is cheaper: the long-stay tiers are said,
with how many more nights reach the first one."""
import datetime

import pytest

from .conftest import days_ahead, en_day, es_day

pytestmark = pytest.mark.django_db


def test_asked_alone_the_tiers_are_said(chat):
    reply = chat.send("hay descuentos?")

    assert reply == ("Descuentos por estancia larga: 10\xa0% a partir de 7 noches y 20\xa0% a partir de 30, "
                     "ya aplicados en los precios.")
    assert not chat.conversation.needs_staff


def test_asked_with_a_short_stay_it_says_how_many_nights_more(inn_chat, inn):
    check_in = days_ahead(inn, 20)
    dates = f"from {en_day(check_in)} to {en_day(check_in + datetime.timedelta(days=6))}"

    reply = inn_chat.send(f"a room for my husband and myself {dates}, any discount for a longer stay?")

    assert "(6 nights, 2 guests)" in reply
    assert reply.endswith("Long-stay discounts: 10% from 7 nights and 20% from 30, already in the prices. "
                          "With 1 more night you would get 10% off.")


def test_after_prices_a_question_about_offers_uses_the_stay_shown(chat, hotel):
    check_in = days_ahead(hotel, 20)
    chat.send(f"precio para 2 del {es_day(check_in)} al {es_day(check_in + datetime.timedelta(days=2))}")

    assert "Con 5 noches más tendrías el 10\xa0%." in chat.send("hay alguna oferta?")
