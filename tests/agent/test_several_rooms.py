"""A guest who asks for several rooms books them one by one, same dates, same
guest: not one room for the whole party."""

import pytest
from django_scopes import scopes_disabled

from reservations.models import Reservation
from webhooks.agent.understanding.reading import rooms_wanted

from .conftest import stay_words

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("text", "language", "rooms"), [
    ("necesito 2 habitaciones dobles", "es", 2),
    ("dos habitaciones para el finde", "es", 2),
    ("tres habs", "es", 3),
    ("we need two rooms", "en", 2),
    ("3 rooms for 6 people", "en", 3),
    ("una habitacion para 2", "es", None),
    ("2 camas", "es", None),
    ("a room with 2 beds", "en", None),
    ("2 noches", "es", None),
])
def test_how_many_rooms_a_message_asks_for(text, language, rooms):
    assert rooms_wanted(text, language) == rooms


def reservations():
    with scopes_disabled():
        return list(Reservation.objects.order_by("id"))


def test_two_rooms_for_four_are_two_bookings_for_two(chat, hotel):
    check_in, dates = stay_words(hotel)

    first = chat.send(f"necesito 2 habitaciones dobles {dates}, somos 4")
    assert first.startswith("Por aquí reservo una habitación cada vez: empezamos por la primera, "
                            "para 2 personas")
    assert "(2 noches, 2 personas)" in first
    chat.send("la estandar")
    chat.send("Ana García")
    chat.send("ana@example.com")
    booked = chat.send("sí")
    assert "¿Reservamos ahora la siguiente habitación" in booked

    offer = chat.send("sí")
    assert "¿Qué habitación prefieres?" in offer
    chat.send("la deluxe")
    second = chat.send("sí")

    first_room, second_room = reservations()
    assert "¡Reserva confirmada!" in second
    assert "siguiente habitación" not in second
    assert (first_room.room_type.code, second_room.room_type.code) == ("standard", "deluxe")
    assert {r.guests for r in (first_room, second_room)} == {2}
    assert {(r.check_in, r.guest_email) for r in (first_room, second_room)} == {(check_in, "ana@example.com")}


def test_no_to_the_next_room_books_only_the_first(chat, hotel):
    _check_in, dates = stay_words(hotel)
    chat.send(f"2 habitaciones {dates} para 4 personas, la estandar")
    chat.send("Ana García")
    chat.send("ana@example.com")
    chat.send("si")

    reply = chat.send("no")

    assert len(reservations()) == 1
    assert chat.conversation.slots.get("more_rooms") is None
    assert "no he hecho ninguna reserva" not in reply


def test_rooms_without_the_party_ask_who_goes_in_the_first(chat, hotel):
    _check_in, dates = stay_words(hotel)

    reply = chat.send(f"quiero 2 habitaciones {dates}")

    assert reply.startswith("Por aquí reservo una habitación cada vez. Empezamos por la primera")
    assert "personas" in reply
    assert chat.conversation.slots["more_rooms"] == 1


def test_in_english_too(inn_chat, inn):
    _check_in, dates = stay_words(inn)

    reply = inn_chat.send(f"we need two rooms {dates}, we are 4 adults")

    assert reply.startswith("Here I book one room at a time: let's start with the first, for 2 guests")
    assert inn_chat.conversation.slots["guests"] == 2


def test_a_party_no_room_takes_is_booked_in_the_fewest_rooms_that_do(chat, hotel):
    check_in, dates = stay_words(hotel)

    first = chat.send(f"quiero reservar {dates}, somos 7")
    assert "Ninguna de nuestras habitaciones admite 7 personas (como máximo 4)" in first
    assert "(2 noches, 4 personas)" in first
    chat.send("la suite")
    chat.send("Ana García")
    chat.send("ana@example.com")
    booked = chat.send("sí")
    assert "siguiente habitación" in booked
    assert "para 3 personas" in booked  # what is left of the seven, not four again

    offer = chat.send("sí")
    assert "(2 noches, 3 personas)" in offer
    chat.send("la deluxe")
    chat.send("sí")

    assert [(r.room_type.code, r.guests) for r in reservations()] == [("suite", 4), ("deluxe", 3)]
    assert "more_rooms" not in chat.conversation.slots
    assert "party_left" not in chat.conversation.slots


def test_the_guest_can_share_the_party_differently(chat, hotel):
    _check_in, dates = stay_words(hotel)
    chat.send(f"quiero reservar {dates}, somos 6")

    reply = chat.send("2 en la primera")

    assert "(2 noches, 2 personas)" in reply
    assert "¿Qué habitación prefieres?" in reply  # asked afresh, not "no sé cuál prefieres"
    assert chat.conversation.slots["guests"] == 2
    assert "room_type" not in chat.conversation.slots  # "la primera" is the room being booked
    chat.send("la estandar")
    chat.send("Ana García")
    chat.send("ana@example.com")
    booked = chat.send("sí")
    assert "para 4 personas" in booked


def test_only_looking_a_large_party_sees_the_rooms_for_its_share(inn_chat, inn):
    _check_in, dates = stay_words(inn)

    reply = inn_chat.send(f"hi we are 7 people, what do you have {dates}?")

    assert reply.startswith("None of our rooms takes 7 guests")
    assert "so I suggest 2 rooms" in reply
    assert "(2 nights, 4 guests)" in reply
    assert "fewer guests" not in reply
    assert inn_chat.conversation.slots["more_rooms"] == 1


def test_a_kind_of_room_the_hotel_lacks_is_said_with_the_rooms_it_has(inn_chat, inn):
    _check_in, dates = stay_words(inn)
    inn_chat.send(f"rooms {dates} for 4?")

    reply = inn_chat.send("the family room pls")

    assert reply.startswith("We don't have that kind of room.")
    assert "Which one would you like?" in reply
    assert "room_type" not in inn_chat.conversation.slots  # the only room left is not chosen for them
    assert "Great:" in inn_chat.send("ok the suite")


def book_two_rooms(chat, hotel):
    _check_in, dates = stay_words(hotel)
    chat.send(f"necesito 2 habitaciones dobles {dates}, somos 4")
    chat.send("la estandar")
    chat.send("Ana García")
    chat.send("ana@example.com")
    chat.send("sí")
    chat.send("sí")
    chat.send("la deluxe")
    chat.send("sí")
    return [r.code for r in reservations()]


@pytest.mark.parametrize(("words", "which"), [("quiero cancelar la primera", 0), ("cancela la segunda", 1),
                                              ("cancelar la ultima", 1)])
def test_after_booking_two_rooms_the_first_or_second_is_the_one_cancelled(chat, hotel, words, which):
    codes = book_two_rooms(chat, hotel)

    reply = chat.send(words)

    assert f"Vas a cancelar la reserva {codes[which]}" in reply
    assert chat.conversation.slots["subject_code"] == codes[which]


def test_after_booking_two_rooms_cancel_asks_which(chat, hotel):
    codes = book_two_rooms(chat, hotel)

    reply = chat.send("quiero cancelar la reserva")

    assert "¿Cuál quieres cancelar?" in reply
    assert all(code in reply for code in codes)
    assert chat.conversation.state == "ask_code"
