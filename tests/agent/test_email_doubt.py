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


@pytest.mark.parametrize("answer", ["no tengo", "no tengo email", "no uso correo", "sin email"])
def test_having_no_email_keeps_the_booking_and_says_why_one_is_needed(chat, hotel, answer):
    up_to_the_email(chat, hotel)

    reply = chat.send(answer)

    assert reply.startswith("Necesito un email para enviarte la confirmación")
    assert "no he hecho ninguna reserva" not in reply
    assert chat.conversation.state == "ask_email"
    assert chat.conversation.slots["room_type"] == "deluxe"
    assert chat.conversation.slots["guest_name"] == "Ana García"


def test_still_no_email_offers_the_phone_then_a_person(chat, hotel):
    up_to_the_email(chat, hotel)
    chat.send("no tengo")

    again = chat.send("no tengo de verdad")
    last = chat.send("que no")

    assert "+34952000000" in again
    assert chat.conversation.needs_staff
    assert last.startswith("Sin un email no puedo terminar la reserva por aquí")


@pytest.mark.parametrize("answers", [
    ("no", "no"), ("no tengo", "no"), ("ni idea", "nope"), ("no", "no tengo"),
])
def test_no_to_have_you_got_one_is_no_email_not_calling_the_booking_off(chat, hotel, answers):
    """After "do you have one, even someone else's?" or "could you type it again?",
    "no" answers that question: the guest is handed to a person who can book it."""
    up_to_the_email(chat, hotel)
    chat.send("no tengo")

    replies = [chat.send(answer) for answer in answers]

    assert not any("no he hecho ninguna reserva" in reply for reply in replies)
    assert chat.conversation.needs_staff
    assert replies[-1].startswith("Sin un email no puedo terminar la reserva")


def test_an_english_guest_without_email_is_told_the_same(inn_chat, inn):
    check_in = days_ahead(inn, 10)
    inn_chat.send(f"standard room {check_in:%B} {check_in.day} for 2 nights, 2 adults")
    inn_chat.send("John Smith")

    reply = inn_chat.send("I don't have one")

    assert reply.startswith("I need an email to send you the confirmation")
    assert inn_chat.conversation.state == "ask_email"
