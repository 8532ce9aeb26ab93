"""The agent answers from the last known copy while the PMS is down and says it
may be a little out of date; with no copy it gives the hotel's phone and email."""
import datetime

import pytest

from tests.agent.conftest import Chat, days_ahead, en_day, es_day, new_conversation

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat(qlo_hotel):
    return Chat(new_conversation(qlo_hotel))


def ask_es(chat, tenant):
    check_in = days_ahead(tenant, 10)
    check_out = check_in + datetime.timedelta(days=2)
    return chat.send(f"¿Tenéis habitación del {es_day(check_in)} al {es_day(check_out)} para 2 personas?")


def test_a_fresh_answer_carries_no_warning(chat, qlo_hotel, qlo):
    reply = ask_es(chat, qlo_hotel)

    assert "Standard" in reply and "120,00" in reply
    assert "desactualizada" not in reply


def test_with_the_pms_down_the_answer_comes_from_the_copy_with_a_warning(chat, qlo_hotel, qlo):
    ask_es(chat, qlo_hotel)
    qlo.stop()

    reply = ask_es(chat, qlo_hotel)

    assert "Standard" in reply and "120,00" in reply
    assert "puede estar un poco desactualizada" in reply


def test_without_any_copy_the_guest_gets_the_hotels_contacts(chat, qlo_hotel, qlo):
    qlo.stop()

    reply = ask_es(chat, qlo_hotel)

    assert "el sistema de reservas del hotel no responde" in reply
    assert qlo_hotel.support_phone in reply and qlo_hotel.support_email in reply


def test_an_english_speaking_guest_is_warned_in_english(chat, qlo_hotel, qlo):
    check_in = days_ahead(qlo_hotel, 10)
    check_out = check_in + datetime.timedelta(days=2)
    question = f"Do you have a room from {en_day(check_in)} to {en_day(check_out)}?"
    chat.send(question)
    qlo.stop()

    reply = chat.send(question)

    assert "it may be a little out of date" in reply
