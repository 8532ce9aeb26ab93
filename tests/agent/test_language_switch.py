"""A guest who asks for the other language gets it, and whatever else the same
message asked is answered in it, not dropped."""
import datetime

import pytest

from .conftest import days_ahead, en_day, es_day

pytestmark = pytest.mark.django_db


def test_asking_only_for_english_switches_and_offers_help(chat):
    chat.send("hola")

    reply = chat.send("can we do this in english?")

    assert reply == "Of course! Let's continue in English. How can I help?"
    assert chat.conversation.language == "en"


def test_a_question_asked_with_the_switch_is_answered_in_english(chat, hotel):
    check_in = days_ahead(hotel, 12)
    chat.send("hola teneis habitacion?")

    reply = chat.send(f"and in english? price for 2 ppl {en_day(check_in)} to "
                      f"{en_day(check_in + datetime.timedelta(days=2))}")

    assert reply.startswith("Of course! Let's continue in English.\n")
    assert "How can I help?" not in reply
    assert "Standard (up to 2 guests): €100.00 per night, total €200.00" in reply
    assert chat.conversation.language == "en"


def test_a_spanish_request_in_spanish_words_gets_the_answer_in_spanish(chat, hotel):
    check_in = days_ahead(hotel, 12)
    chat.send("Hello")
    assert chat.conversation.language == "en"

    reply = chat.send(f"en español porfa, hay habitacion del {es_day(check_in)} al "
                      f"{es_day(check_in + datetime.timedelta(days=3))} para 2?")

    assert reply.startswith("¡Claro! Seguimos en español.\n")
    assert "¿En qué te ayudo?" not in reply
    assert "100,00\xa0€ por noche, total 300,00\xa0€" in reply
    assert chat.conversation.language == "es"


def test_an_answer_given_with_the_switch_moves_the_booking_on(chat, hotel):
    check_in = days_ahead(hotel, 12)
    chat.send(f"quiero reservar del {es_day(check_in)} al {es_day(check_in + datetime.timedelta(days=2))}")
    assert chat.conversation.slots.get("guests") is None

    reply = chat.send("english please, we are 2")

    assert "Let's continue in English." in reply
    assert chat.conversation.slots["guests"] == 2
    assert "How many" not in reply
    assert "€100.00" in reply


def test_a_bare_switch_mid_booking_asks_the_open_question_again_in_english(chat, hotel):
    check_in = days_ahead(hotel, 12)
    chat.send(f"quiero reservar del {es_day(check_in)} al {es_day(check_in + datetime.timedelta(days=2))}")

    reply = chat.send("in english please")

    assert reply.startswith("Of course! Let's continue in English.\n")
    assert "How can I help?" not in reply
    assert "how many guests" in reply.lower()


@pytest.mark.parametrize("text", ["hello, do you speak english?", "hi! can we talk in english please?",
                                  "buenas, hablas ingles?"])
def test_a_greeting_with_the_request_is_only_the_switch(chat, text):
    """The greeting is answered by the switch; it is no question for staff."""
    reply = chat.send(text)

    assert reply == "Of course! Let's continue in English. How can I help?"
    assert chat.conversation.language == "en"
    assert not chat.conversation.needs_staff
