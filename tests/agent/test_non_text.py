"""Images, voice notes, locations… get a polite "text only, please"."""
import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("message_type", ["image", "audio", "location", "sticker", "video", "document"])
def test_non_text_messages_get_a_polite_text_only_reply(chat, message_type):
    reply = chat.send("", message_type=message_type)

    assert "solo entiendo mensajes de texto" in reply


def test_the_reply_is_in_the_guests_language(inn_chat):
    assert "I can only understand text messages" in inn_chat.send("", message_type="audio")


def test_a_voice_note_mid_booking_keeps_the_booking(chat, hotel):
    chat.send("quiero reservar para 2 personas")
    slots, state = dict(chat.conversation.slots), chat.conversation.state

    chat.send("", message_type="audio")

    assert chat.conversation.slots == slots
    assert chat.conversation.state == state
