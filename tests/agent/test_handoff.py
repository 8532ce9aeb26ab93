"""Asking for a person hands the conversation to staff; the agent then stays quiet."""
import pytest

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
