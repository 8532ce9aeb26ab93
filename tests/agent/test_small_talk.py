"""Greetings are greeted; a question that comes after a greeting is a question."""
import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", [
    "hola", "buenas!", "hola, ¿qué tal?", "buenos dias, como estas?", "hola, me puedes ayudar?",
    "buenas, hay alguien ahi?", "hola, eres un robot?",
])
def test_a_greeting_is_greeted(chat, text):
    reply = chat.send(text)

    assert reply.startswith("¡Hola! Soy el asistente de Hotel Mar.")
    assert not chat.conversation.needs_staff


@pytest.mark.parametrize("text", ["hi, how are you?", "hello! how are you doing today?", "hey how r u today",
                                  "hi, are you a bot?"])
def test_an_english_pleasantry_is_greeted_and_today_is_no_stay(inn_chat, text):
    reply = inn_chat.send(text)

    assert reply.startswith("Hello! I'm the assistant of Harbor Inn.")
    assert "check_in" not in inn_chat.conversation.slots


@pytest.mark.parametrize("text", ["buenas, me podeis decir si el hotel tiene piscina?",
                                  "hola! ¿hay servicio de lavandería en el hotel?"])
def test_a_question_after_a_greeting_goes_to_staff_when_the_hotel_has_no_answer(chat, text):
    reply = chat.send(text)

    assert reply.startswith("Buena pregunta: no tengo esa información a mano")
    assert chat.conversation.needs_staff
