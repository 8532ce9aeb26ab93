"""Asked for a name, an email or a phone, a guest may ask what it is for. That is
a question, answered, and the same detail asked again; not a wrong answer that
counts towards handing the guest to staff."""
import datetime

import pytest

from .conftest import days_ahead, es_day, stay_words

pytestmark = pytest.mark.django_db


def up_to_the_name(chat, hotel):
    check_in = days_ahead(hotel, 10)
    chat.send(f"quiero la deluxe del {es_day(check_in)} al {es_day(check_in + datetime.timedelta(days=2))}"
              ", somos 2")


@pytest.mark.parametrize("question", [
    "para que quieres mi email?", "¿Para qué necesitas el correo?", "y pa q el mail", "por que el email?",
])
def test_asking_what_the_email_is_for_is_answered_and_the_email_asked_again(chat, hotel, question):
    up_to_the_name(chat, hotel)
    chat.send("Ana García")

    reply = chat.send(question)

    assert "solo para enviarte la confirmación" in reply
    assert reply.endswith("¿A qué email te envío la confirmación?")
    assert chat.conversation.state == "ask_email"
    assert chat.conversation.slots.get("misses", 0) == 0
    summary = chat.send("ana.garcia@gmail.com")
    assert "• Email: ana.garcia@gmail.com" in summary


def test_the_detail_named_is_the_one_explained_the_question_stays_the_one_asked(chat, hotel):
    up_to_the_name(chat, hotel)
    chat.send("Ana García")

    reply = chat.send("y pa que quieres el telefono")

    assert reply.startswith("El teléfono es para que el hotel pueda localizarte")
    assert reply.endswith("¿A qué email te envío la confirmación?")


def test_asking_what_the_name_is_for(chat, hotel):
    up_to_the_name(chat, hotel)

    reply = chat.send("para q quieres mi nombre?")

    assert "es lo que te pedirán en recepción" in reply
    assert chat.conversation.state == "ask_name"
    chat.send("Ana García")
    assert chat.conversation.slots["guest_name"] == "Ana García"


def test_a_reason_given_is_not_a_question(chat, hotel):
    up_to_the_name(chat, hotel)
    chat.send("Ana García")

    reply = chat.send("porque no tengo email")

    assert reply.startswith("Necesito un email")


def test_in_english_too(inn_chat, inn):
    _check_in, stay = stay_words(inn)
    inn_chat.send(f"I'd like to book the standard {stay} for 2")
    inn_chat.send("John Smith")

    reply = inn_chat.send("why do you need my email??")

    assert reply.startswith("The email is only to send you the confirmation")
    assert reply.endswith("Which email should I send the confirmation to?")
    assert inn_chat.conversation.state == "ask_email"


def test_asking_again_and_again_is_still_no_miss(chat, hotel):
    up_to_the_name(chat, hotel)
    chat.send("Ana García")

    for _ in range(3):
        reply = chat.send("¿para qué quieres el email?")

    assert "solo para enviarte la confirmación" in reply  # no handoff after three
    assert chat.conversation.state == "ask_email"
