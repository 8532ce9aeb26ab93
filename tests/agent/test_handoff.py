"""Asking for a person hands the conversation to staff; the agent then stays quiet."""
import datetime

import pytest
from django_scopes import scopes_disabled

from reservations.models import Reservation

from .conftest import days_ahead, es_day

pytestmark = pytest.mark.django_db


def test_asking_for_a_person_flags_the_conversation_and_says_so(chat):
    reply = chat.send("Quiero hablar con una persona")

    assert chat.conversation.needs_staff is True
    assert "una persona del equipo de Hotel Mar" in reply


def test_the_agent_stays_silent_until_staff_release_it(chat):
    chat.send("quiero hablar con una persona")

    assert chat.replies("hola?") == []
    assert chat.replies("quiero reservar") == []

    chat.conversation.needs_staff = False
    chat.conversation.save()
    assert chat.replies("hola") != []


def test_handoff_in_english_mid_booking(inn_chat):
    inn_chat.send("I'd like to book a room")

    reply = inn_chat.send("can I talk to a human please?")

    assert inn_chat.conversation.needs_staff is True
    assert "a member of the Harbor Inn team" in reply


def start_booking(chat, hotel):
    check_in = days_ahead(hotel, 10)
    chat.send(f"del {es_day(check_in)} al {es_day(check_in + datetime.timedelta(days=2))} para 2 adultos")
    return chat.send("la suite")


def test_a_question_nobody_answered_mid_booking_waits_and_the_booking_goes_on(chat, hotel):
    start_booking(chat, hotel)

    replies = chat.replies("¿tenéis gimnasio?")

    assert "no lo sé" in replies[0] and "en cuanto terminemos con la reserva" in replies[0]
    assert "¿a nombre de quién" in replies[1].lower()
    assert chat.conversation.needs_staff is False
    assert chat.conversation.state == "ask_name"
    assert "No he entendido" not in " ".join(replies)


def test_questions_mid_booking_are_no_failed_answers(chat, hotel):
    start_booking(chat, hotel)

    for question in ("¿tenéis gimnasio?", "¿hay sala de juegos?", "¿alquiláis bicis?"):
        chat.send(question)

    assert chat.conversation.needs_staff is False
    assert "email" in chat.send("Ana García")  # the name is taken; the email is asked next
    assert chat.conversation.state == "ask_email"


def test_once_booked_the_waiting_question_goes_to_staff(chat, hotel):
    start_booking(chat, hotel)
    chat.send("¿tenéis gimnasio?")
    chat.send("Ana García")
    chat.send("ana@example.com")

    replies = chat.replies("sí")

    with scopes_disabled():
        assert Reservation.objects.count() == 1
    assert "¡Reserva confirmada!" in replies[0]
    assert "tu pregunta de antes" in replies[-1]
    assert chat.conversation.needs_staff is True


def test_a_booking_called_off_hands_the_waiting_question_over_too(inn_chat, inn):
    check_in = days_ahead(inn, 10)
    inn_chat.send(f"book {check_in:%B} {check_in.day} for 2 nights, 2 guests, the suite")
    inn_chat.send("do you have a gym?")

    replies = inn_chat.replies("actually no, forget it")

    assert "your question earlier" in replies[-1]
    assert inn_chat.conversation.needs_staff is True
