"""The conversation's typed state, and the LLM backend as a last resort: only
when the rules read nothing at all in an answer, and never when it is off."""
import datetime

import pytest

from tests.agent.conftest import Chat, days_ahead, new_conversation
from tests.agent.llm_server import serve_llm
from webhooks.agent.state import Slots, State

pytestmark = pytest.mark.django_db


def test_rows_written_by_the_first_agent_load_into_typed_slots():
    slots = Slots.from_json({
        "check_in": "2027-01-10", "check_out": "not a date", "guests": "2", "cancel_code": "HA-ABCDEF",
        "my_codes": ["HA-ABCDEF"], "unknown": 1,
    })

    assert slots.check_in == datetime.date(2027, 1, 10)
    assert slots.check_out is None and slots.guests is None
    assert (slots.subject_code, slots.pending_action) == ("HA-ABCDEF", "cancel")
    assert Slots.from_json(slots.to_json()) == slots
    assert State.load("no_such_state") is State.IDLE


@pytest.fixture
def llm(settings):
    yield from serve_llm(settings)


def test_an_answer_the_rules_cannot_read_is_read_by_the_llm_backend(hotel, llm):
    chat = Chat(new_conversation(hotel))
    check_in = days_ahead(hotel, 10)
    chat.send(f"quiero reservar del {check_in:%d/%m/%Y} por 2 noches")
    llm.answer_content({"intent": None, "adults": 2, "children": 1})

    reply = chat.send("pues mi mujer, el crío y un servidor")

    assert chat.conversation.slots["guests"] == 3
    assert "habitaci" in reply.lower()
    assert len(llm.requests) == 1


def test_what_the_rules_read_never_reaches_the_llm_backend(hotel, llm):
    chat = Chat(new_conversation(hotel))

    chat.send(f"quiero reservar del {days_ahead(hotel, 10):%d/%m/%Y} por 2 noches para 2")

    assert llm.requests == []


def test_with_the_backend_off_an_unreadable_answer_is_asked_again(hotel):
    chat = Chat(new_conversation(hotel))
    chat.send(f"quiero reservar del {days_ahead(hotel, 10):%d/%m/%Y} por 2 noches")

    reply = chat.send("pues mi mujer, el crío y un servidor")

    assert "guests" not in chat.conversation.slots
    assert "personas" in reply
