"""An email that nearly spells a common provider ("gmail.con", "gmial.com") is
asked about before it is taken: a confirmation sent there is lost."""
import datetime

import pytest

from .conftest import days_ahead, es_day

pytestmark = pytest.mark.django_db


def up_to_the_email(chat, hotel):
    check_in = days_ahead(hotel, 10)
    chat.send(f"quiero la deluxe del {es_day(check_in)} al {es_day(check_in + datetime.timedelta(days=2))}"
              ", somos 2")
    chat.send("Ana García")


def test_a_near_miss_of_a_provider_is_asked_about_not_taken(chat, hotel):
    up_to_the_email(chat, hotel)

    reply = chat.send("ana.garcia@gmail.con")

    assert reply.startswith("¿Querías decir ana.garcia@gmail.com?")
    assert chat.conversation.state == "ask_email"
    assert chat.conversation.slots.get("guest_email") is None


@pytest.mark.parametrize("answer", ["si", "sí, corrígelo", "vale"])
def test_yes_takes_the_suggestion(chat, hotel, answer):
    up_to_the_email(chat, hotel)
    chat.send("ana.garcia@gmial.com")

    summary = chat.send(answer)

    assert chat.conversation.slots["guest_email"] == "ana.garcia@gmail.com"
    assert "• Email: ana.garcia@gmail.com" in summary


@pytest.mark.parametrize("answer", ["no", "no, está bien", "no es correcto asi"])
def test_no_keeps_what_was_typed_and_the_booking_goes_on(chat, hotel, answer):
    up_to_the_email(chat, hotel)
    chat.send("ana.garcia@gmial.com")

    summary = chat.send(answer)

    assert chat.conversation.slots["guest_email"] == "ana.garcia@gmial.com"
    assert "• Email: ana.garcia@gmial.com" in summary
    assert chat.conversation.state == "confirm_booking"


def test_typing_it_the_same_way_again_means_it(chat, hotel):
    up_to_the_email(chat, hotel)
    chat.send("ana.garcia@gmial.com")

    chat.send("ana.garcia@gmial.com")

    assert chat.conversation.slots["guest_email"] == "ana.garcia@gmial.com"


def test_typing_the_right_one_takes_it(chat, hotel):
    up_to_the_email(chat, hotel)
    chat.send("ana.garcia@gmial.com")

    chat.send("perdon, ana.garcia@gmail.com")

    assert chat.conversation.slots["guest_email"] == "ana.garcia@gmail.com"


@pytest.mark.parametrize("email", ["ana@gmail.com", "ana@hotmail.es", "ana@empresa.es", "ana@outlook.es"])
def test_ordinary_addresses_are_taken_at_once(chat, hotel, email):
    up_to_the_email(chat, hotel)

    chat.send(email)

    assert chat.conversation.slots["guest_email"] == email
