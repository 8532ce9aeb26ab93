"""After 24 hours of silence a half-built booking is forgotten, the language kept."""
import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_day_of_silence_starts_over_in_the_same_language(inn_chat):
    inn_chat.send("I want to book for 2 people")
    assert inn_chat.conversation.slots["guests"] == 2
    conversation = inn_chat.conversation
    conversation.last_activity_at = timezone.now() - datetime.timedelta(hours=25)
    conversation.save()

    reply = inn_chat.send("ok")

    assert inn_chat.conversation.slots == {}
    assert inn_chat.conversation.state == "idle"
    assert inn_chat.conversation.language == "en"
    assert "anything else" in reply


def test_every_message_moves_last_activity(chat):
    before = chat.conversation.last_activity_at

    chat.send("hola")

    assert chat.conversation.last_activity_at > before
