"""Guests ask whether a longer stay is cheaper: the long-stay tiers are said,
with how many more nights reach the first one."""
import datetime

import pytest

from .conftest import days_ahead, es_day, stay_words

pytestmark = pytest.mark.django_db


def test_asked_alone_the_tiers_are_said(chat):
    reply = chat.send("hay descuentos?")

    assert reply == ("Descuentos por estancia larga: 10\xa0% a partir de 7 noches y 20\xa0% a partir de 30, "
                     "ya aplicados en los precios.")
    assert not chat.conversation.needs_staff


def test_asked_with_a_short_stay_it_says_how_many_nights_more(inn_chat, inn):
    _check_in, dates = stay_words(inn, days=20, nights=6)

    reply = inn_chat.send(f"a room for my husband and myself {dates}, any discount for a longer stay?")

    assert "(6 nights, 2 guests)" in reply
    assert reply.endswith("Long-stay discounts: 10% from 7 nights and 20% from 30, already in the prices. "
                          "With 1 more night you would get 10% off.")


def test_after_prices_a_question_about_offers_uses_the_stay_shown(chat, hotel):
    _check_in, dates = stay_words(hotel, days=20)
    chat.send(f"precio para 2 {dates}")

    assert "Con 5 noches más tendrías el 10\xa0%." in chat.send("hay alguna oferta?")


def test_a_month_asked_vaguely_is_a_hint_and_the_days_given_after_are_in_it(chat, hotel):
    """"unas 2 semanas en enero": which days is asked, the month never offered as
    a 31-night stay to tap, and "del 10 al 24" then means January's."""
    month = (days_ahead(hotel, 0).replace(day=1) + datetime.timedelta(days=62)).replace(day=1)
    name = es_day(month).split(" de ")[1]

    question = chat.send(f"teneis oferta para estancias largas? unas 2 semanas en {name}")

    assert question.startswith("Claro. ¿Qué días tienes en mente")
    assert "Descuentos por estancia larga" in question
    assert "\n1. " not in question  # no whole-month choice
    chat.send("del 10 al 24")
    assert chat.conversation.slots["check_in"] == month.replace(day=10).isoformat()
    assert chat.conversation.slots["check_out"] == month.replace(day=24).isoformat()
    assert "date_options" not in chat.conversation.slots
