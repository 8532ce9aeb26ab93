"""A guest who asks for several rooms books them one by one, same dates, same
guest: not one room for the whole party."""
import datetime

import pytest
from django_scopes import scopes_disabled

from reservations.models import Reservation
from webhooks.agent.understanding.reading import rooms_wanted

from .conftest import days_ahead, en_day, es_day

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


def stay_words(hotel):
    check_in = days_ahead(hotel, 10)
    return check_in, f"del {es_day(check_in)} al {es_day(check_in + datetime.timedelta(days=2))}"


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
    check_in = days_ahead(inn, 10)
    dates = f"from {en_day(check_in)} to {en_day(check_in + datetime.timedelta(days=2))}"

    reply = inn_chat.send(f"we need two rooms {dates}, we are 4 adults")

    assert reply.startswith("Here I book one room at a time: let's start with the first, for 2 guests")
    assert inn_chat.conversation.slots["guests"] == 2
