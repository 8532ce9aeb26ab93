"""A room chosen in one sentence and something else asked in the next ("the
standard please. is there wifi?") is both: the answer, and the room kept for
the booking, which goes on with its next question."""
import pytest

from tenants.models import FAQEntry

from .conftest import stay_words

pytestmark = pytest.mark.django_db


@pytest.fixture
def wifi(inn):
    return FAQEntry.objects.create(tenant=inn, topic="wifi", language="en",
                                   answer="Free Wi-Fi everywhere: network HarborInn, no password.")


@pytest.fixture
def wifi_es(hotel):
    return FAQEntry.objects.create(tenant=hotel, topic="wifi", language="es",
                                   answer="Wifi gratis en todo el hotel: red HotelSol, sin contraseña.")


@pytest.mark.parametrize("message", ["the standard please. is there wifi?", "Standard please! wifi?"])
def test_the_room_is_kept_and_the_question_answered(inn_chat, inn, wifi, message):
    _check_in, stay = stay_words(inn)
    inn_chat.send(f"hi do you have rooms {stay}")

    replies = inn_chat.replies(message)

    assert replies[0] == wifi.answer
    assert inn_chat.conversation.slots["room_type"] == "standard"
    assert "Standard" in inn_chat.send("2 of us")  # the stay recap: no rooms listed again
    assert inn_chat.conversation.state == "ask_name"


def test_en_espanol(chat, hotel, wifi_es):
    _check_in, stay = stay_words(hotel)
    chat.send(f"hola teneis habitacion {stay}")

    replies = chat.replies("la estandar porfa. hay wifi?")

    assert replies[0] == wifi_es.answer
    assert chat.conversation.slots["room_type"] == "standard"


def test_a_question_about_a_room_is_left_to_the_room_answers(inn_chat, inn, wifi):
    """"the standard please. how big is the suite?" may still be choosing: nothing
    is taken for granted while a room is asked about."""
    _check_in, stay = stay_words(inn)
    inn_chat.send(f"hi do you have rooms {stay}")

    inn_chat.send("the standard please. how big is the suite?")

    assert inn_chat.conversation.slots.get("room_type") is None
