"""A question the agent promised to pass on once the booking is over ("¿tenéis
gimnasio?") is not lost when the guest goes quiet mid-booking: after
AGENT_WAITING_QUESTIONS_AFTER_SECONDS the conversation goes to staff, audited and
counted; conversations still active, or with nothing waiting, stay the agent's."""
import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from prometheus_client import REGISTRY

from security.models import AuditEvent
from webhooks.tasks import hand_over_waiting_questions

from .conftest import Chat, days_ahead, es_day, new_conversation

pytestmark = pytest.mark.django_db


def asked_mid_booking(chat, hotel):
    check_in = days_ahead(hotel, 10)
    chat.send(f"del {es_day(check_in)} al {es_day(check_in + datetime.timedelta(days=2))} para 2 adultos")
    chat.send("la suite")
    chat.send("¿tenéis gimnasio?")


def quiet_for(chat, minutes: int) -> None:
    conversation = chat.conversation
    conversation.last_activity_at = timezone.now() - datetime.timedelta(minutes=minutes)
    conversation.save(update_fields=["last_activity_at"])


def handoffs(tenant) -> float:
    return REGISTRY.get_sample_value("hotelagent_handoffs_total", {"tenant": tenant.slug}) or 0


def test_a_guest_quiet_with_a_question_waiting_goes_to_staff(chat, hotel, settings):
    settings.AGENT_WAITING_QUESTIONS_AFTER_SECONDS = 30 * 60
    asked_mid_booking(chat, hotel)
    quiet_for(chat, 31)
    before = handoffs(hotel)

    assert hand_over_waiting_questions() == 1

    chat.conversation.refresh_from_db()
    assert chat.conversation.needs_staff is True
    assert chat.conversation.slots.get("staff_questions") is None
    assert chat.conversation.slots["room_type"] == "suite"  # the booking so far is there for staff
    assert handoffs(hotel) == before + 1
    with scopes_disabled():
        event = AuditEvent.objects.get(action="conversation_handed_to_staff")
    assert event.tenant == hotel and event.details == {"reason": "questions_waiting", "questions": 1}
    assert hand_over_waiting_questions() == 0  # once
    assert chat.replies("hola?") == []  # staff have it now


def test_a_guest_still_writing_keeps_the_agent(chat, hotel, settings):
    settings.AGENT_WAITING_QUESTIONS_AFTER_SECONDS = 30 * 60
    asked_mid_booking(chat, hotel)
    quiet_for(chat, 10)

    assert hand_over_waiting_questions() == 0
    chat.conversation.refresh_from_db()
    assert chat.conversation.needs_staff is False


def test_nothing_waiting_nothing_handed_over(chat, hotel, settings):
    settings.AGENT_WAITING_QUESTIONS_AFTER_SECONDS = 30 * 60
    check_in = days_ahead(hotel, 10)
    chat.send(f"del {es_day(check_in)} al {es_day(check_in + datetime.timedelta(days=2))} para 2 adultos")
    quiet_for(chat, 120)

    assert hand_over_waiting_questions() == 0


def test_only_the_conversations_waiting_are_handed_over(hotel, settings):
    settings.AGENT_WAITING_QUESTIONS_AFTER_SECONDS = 30 * 60
    waiting, answered = Chat(new_conversation(hotel, guest_id="34600000001")), \
        Chat(new_conversation(hotel, guest_id="34600000002"))
    asked_mid_booking(waiting, hotel)
    asked_mid_booking(answered, hotel)
    answered.send("Ana García")
    answered.send("ana@example.com")
    answered.send("sí")  # booked: the question went to staff then, and the agent said so
    answered.conversation.needs_staff = False  # staff answered it and gave the conversation back
    answered.conversation.save(update_fields=["needs_staff"])
    quiet_for(waiting, 45)
    quiet_for(answered, 45)

    assert hand_over_waiting_questions() == 1
    waiting.conversation.refresh_from_db()
    answered.conversation.refresh_from_db()
    assert (waiting.conversation.needs_staff, answered.conversation.needs_staff) == (True, False)
