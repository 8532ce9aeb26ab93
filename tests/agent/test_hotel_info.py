"""Address and check-in/out times come from the hotel's profile."""
import pytest

pytestmark = pytest.mark.django_db


def test_address_in_spanish(chat):
    reply = chat.send("¿Cuál es la dirección del hotel?")

    assert "Calle del Puerto 1, 29001 Málaga" in reply


def test_times_in_spanish(chat):
    reply = chat.send("a q hora es la entrada y la salida?")

    assert "15:00" in reply
    assert "11:00" in reply


def test_check_in_time_in_english(inn_chat):
    reply = inn_chat.send("What time is check-in?")

    assert "3:00\u202fPM" in reply  # Babel puts a narrow no-break space before PM


def test_the_whole_profile_when_asked_for_hotel_information(chat):
    reply = chat.send("info del hotel")

    assert "Calle del Puerto 1, 29001 Málaga" in reply
    assert "a partir de las 15:00" in reply


def test_a_question_mid_booking_is_answered_and_the_booking_goes_on(chat):
    chat.send("quiero reservar")

    replies = chat.replies("¿dónde estáis?")

    assert "Calle del Puerto 1" in replies[0]
    assert "¿Para qué fechas?" in replies[1]
    assert chat.conversation.state == "ask_dates"


def test_hotel_info_follows_the_profile(chat, hotel):
    hotel.address = "Avenida Nueva 7, Sevilla"
    hotel.save()

    assert "Avenida Nueva 7, Sevilla" in chat.send("¿dónde está el hotel?")
