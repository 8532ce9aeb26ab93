"""Whatever the guest sends, whatever the agent asked last, there is an answer."""
import pytest

from .conftest import Chat, days_ahead, new_conversation

pytestmark = pytest.mark.django_db

MESSAGES = [
    "hola", "sí", "no", "ok", "2", "3 noches", "la suite", "Ana García", "ana@example.com", "ana@",
    "612345678",
    "cancelar", "estado", "HA-2345AB", "cancelar eso", "¿dónde estáis?", "gracias", "asdf", "",
    "del 1 al 3 de enero de 2020", "para 20 personas", "una familiar", "¿cuánto cuesta?", "hasta el 14",
    "100 noches", "yes", "😀", "a" * 3000,
]
STATES = [
    "idle", "availability_dates", "offered", "ask_dates", "ask_check_out", "ask_guests", "ask_room_type",
    "ask_name", "ask_email", "ask_phone", "confirm_booking", "booked", "ask_code", "confirm_cancel",
]


@pytest.mark.parametrize("state", STATES)
def test_every_message_in_every_state_gets_a_reply(hotel, state):
    check_in = days_ahead(hotel, 10)
    slots = {
        "check_in": check_in.isoformat(), "check_out": days_ahead(hotel, 12).isoformat(), "guests": 2,
        "room_type": "suite", "guest_name": "Ana", "guest_email": "ana@example.com",
        "reservation_code": "HA-2345AB", "cancel_code": "HA-2345AB",
    }
    for number, text in enumerate(MESSAGES):
        conversation = new_conversation(hotel, guest_id=f"{state}-{number}")
        conversation.state, conversation.slots = state, dict(slots)
        conversation.save()

        replies = Chat(conversation).replies(text)

        assert replies and all(reply.strip() for reply in replies), (state, text)
