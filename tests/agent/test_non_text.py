"""Photos, videos, documents and stickers are acknowledged, a voice note is
asked for in writing, a location gets a map; other types get "text only, please"."""
import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("message_type", ["image", "video", "document"])
def test_a_file_without_a_caption_is_acknowledged_for_staff(chat, message_type):
    reply = chat.send("", message_type=message_type)

    assert "equipo del hotel" in reply
    assert "¿En qué te puedo ayudar?" in reply


def test_a_sticker_gets_a_smile_and_an_offer_of_help(chat):
    assert "😊" in chat.send("", message_type="sticker")


def test_a_voice_note_is_asked_for_in_writing(chat):
    assert chat.send("", message_type="audio") == "Todavía no puedo escuchar audios, ¿me lo puedes escribir?"


def test_the_reply_is_in_the_guests_language(inn_chat):
    assert inn_chat.send("", message_type="audio") == "I can't listen to audio yet — could you write it?"


@pytest.mark.parametrize("message_type", ["reaction", "contacts", "unsupported"])
def test_other_types_get_a_polite_text_only_reply(chat, message_type):
    assert "solo entiendo mensajes de texto" in chat.send("", message_type=message_type)


def test_a_caption_is_read_as_text(chat):
    assert "Calle del Puerto 1" in chat.send("¿cuál es la dirección del hotel?", message_type="image")


def test_a_voice_note_mid_booking_keeps_the_booking(chat, hotel):
    chat.send("quiero reservar para 2 personas")
    slots, state = dict(chat.conversation.slots), chat.conversation.state

    chat.send("", message_type="audio")

    assert chat.conversation.slots == slots
    assert chat.conversation.state == state
