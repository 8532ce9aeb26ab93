"""Wishes added in passing ("con desayuno", "llegaremos tarde", "a quiet room
please") are said back, shown in the summary and written on the reservation for
the hotel's staff, in the hotel's language; a question about breakfast is the
hotel's answer to give, not a wish."""
import datetime

import pytest
from django_scopes import scopes_disabled

from reservations.models import Reservation
from webhooks.agent.understanding.wishes import read_wishes

from .conftest import book_the_deluxe, days_ahead, es_day, stay_words

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("text", "wishes"), [
    ("la doble con desayuno", ("breakfast",)),
    ("Llegaremos tarde, sobre las 23h", ("late_arrival",)),
    ("llegamos muy tarde. y si puede ser una habitacion tranquila", ("late_arrival", "quiet_room")),
    ("es nuestro aniversario!", ("anniversary",)),
    ("we're on our honeymoon", ("honeymoon",)),
    ("dos camas separadas porfa", ("twin_beds",)),
    ("with breakfast please, we arrive late", ("breakfast", "late_arrival")),
    ("a quiet room on a high floor if possible", ("quiet_room", "high_floor")),
    ("my mother uses a wheelchair", ("accessible",)),
    ("¿el desayuno está incluido?", ()),
    ("con desayuno?", ()),
    ("is breakfast included?", ()),
    ("can we arrive late", ()),
    ("somos 2", ()),
    ("we'd need a crib too actually", ("crib",)),
    ("sin desayuno, gracias", ()),
    ("no necesitamos cuna", ()),
    ("we don't need breakfast but we arrive late", ("late_arrival",)),
    ("llegaremos sobre las 11 de la noche", ("late_arrival",)),
    ("llegamos a las 23:30", ("late_arrival",)),
    ("we get in around 10pm", ("late_arrival",)),
    ("llegaremos a las 9 de la mañana", ("early_arrival",)),
    ("we arrive at 9am", ("early_arrival",)),
    ("llegamos a las 17h", ()),
    ("llegamos el 12 a las 4 de la tarde", ()),
])
def test_what_is_read_as_a_wish(text, wishes):
    assert read_wishes(text) == wishes


def book(chat, hotel, first: str) -> tuple[str, str]:
    return book_the_deluxe(chat, hotel, f"2{first}")


def test_wishes_are_said_back_summed_up_and_on_the_reservation(chat, hotel):
    check_in = days_ahead(hotel, 10)
    check_out = check_in + datetime.timedelta(days=2)

    first = chat.replies(f"quiero reservar la deluxe del {es_day(check_in)} al {es_day(check_out)}, "
                         "somos 2, con desayuno. Llegaremos tarde")
    chat.send("Ana García")
    noted = chat.replies("ah, y una habitacion tranquila si puede ser")
    summary = chat.send("ana@example.com")
    chat.send("si")

    assert first[0] == "Lo anoto para el hotel: desayuno, llegada tarde."
    assert noted[0] == "Lo anoto para el hotel: habitación tranquila."
    assert "• Peticiones: desayuno, llegada tarde, habitación tranquila" in summary
    with scopes_disabled():
        reservation = Reservation.objects.get()
    assert reservation.special_requests == "Pedido en el chat: desayuno, llegada tarde, habitación tranquila."


def test_a_crib_and_a_wish_are_both_on_the_reservation(chat, hotel):
    book(chat, hotel, " y un bebe, con desayuno")

    with scopes_disabled():
        reservation = Reservation.objects.get()
    assert reservation.special_requests == (
        "Cuna para 1 bebé (pedida en el chat). Pedido en el chat: desayuno.")


def test_a_question_about_breakfast_adds_no_wish(chat, hotel):
    summary, _booked = book(chat, hotel, ". ¿El desayuno está incluido?")

    assert "Peticiones" not in summary
    with scopes_disabled():
        assert Reservation.objects.get().special_requests == ""


def test_in_an_english_hotel_the_staff_read_english(inn_chat, inn):
    _check_in, stay = stay_words(inn)
    inn_chat.send(f"I'd like to book the standard {stay} for 2, we'll arrive late")
    inn_chat.send("John Smith")
    summary = inn_chat.send("john@example.com")
    inn_chat.send("yes")

    assert "• Requests: late arrival" in summary
    with scopes_disabled():
        assert Reservation.objects.get().special_requests == "Asked for in the chat: late arrival."


def test_a_second_booking_does_not_inherit_the_first_ones_wishes(chat, hotel):
    book(chat, hotel, ", con desayuno")
    check_in = days_ahead(hotel, 30)
    check_out = check_in + datetime.timedelta(days=2)

    replies = chat.replies(f"quiero otra reserva, la deluxe del {es_day(check_in)} al {es_day(check_out)}"
                           ", somos 2")

    assert chat.conversation.slots.get("wishes") is None
    assert not any("desayuno" in reply for reply in replies)


def test_a_wish_instead_of_the_name_is_noted_and_the_name_asked_again(chat, hotel):
    check_in = days_ahead(hotel, 10)
    chat.send(f"quiero reservar la deluxe del {es_day(check_in)} al "
              f"{es_day(check_in + datetime.timedelta(days=2))}, somos 2")

    replies = chat.replies("llegaremos sobre las 11 de la noche")

    assert replies[0] == "Lo anoto para el hotel: llegada tarde."
    assert "¿A nombre de quién hago la reserva?" in replies[1]
    assert chat.conversation.state == "ask_name"
    assert chat.conversation.slots.get("misses", 0) == 0
