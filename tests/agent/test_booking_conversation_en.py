"""An English-speaking guest books, at an American hotel and at a Spanish one."""
import datetime

import pytest
from django_scopes import scopes_disabled

from reservations.models import Reservation

from .conftest import days_ahead, en_day

pytestmark = pytest.mark.django_db


def test_full_booking_in_english_ends_with_a_reservation_in_dollars(inn_chat, inn):
    check_in = days_ahead(inn, 10)
    check_out = check_in + datetime.timedelta(days=2)

    assert "For which dates?" in inn_chat.send("Hi! I'd like to book a room")
    rooms = inn_chat.send(f"from {en_day(check_in)} to {en_day(check_out)}, 2 people")
    assert "Standard (up to 2 guests): $120.00 per night, total $240.00" in rooms
    assert "Whose name" in inn_chat.send("the standard one")
    assert "email" in inn_chat.send("My name is John Smith")
    summary = inn_chat.send("john@example.com")
    booked = inn_chat.send("yes")

    with scopes_disabled():
        reservation = Reservation.objects.get()
    assert "Total: $240.00" in summary
    assert 'Reply "yes" or "no"' in summary
    assert f"Your code is {reservation.code}" in booked
    assert reservation.source == "whatsapp"
    assert reservation.currency == "USD"
    assert reservation.guest_name == "John Smith"


def test_an_english_guest_at_a_spanish_hotel_gets_english_and_euros(chat, hotel):
    check_in = days_ahead(hotel, 10)

    reply = chat.send(f"Hello, do you have any rooms on {en_day(check_in)} for 2 nights?")

    assert chat.conversation.language == "en"
    assert "Standard (up to 2 guests): €100.00 per night, total €200.00" in reply
    assert "How many guests" in reply  # answered first, then the one question that moves on


def test_the_language_follows_the_guest(chat):
    chat.send("Hello")
    assert chat.conversation.language == "en"

    assert "¿En qué te ayudo?" in chat.send("Hola, buenas")
    assert chat.conversation.language == "es"


def test_a_new_guest_without_clear_language_gets_the_hotels(inn_chat, chat):
    assert "anything else" in inn_chat.send("ok")
    assert inn_chat.conversation.language == "en"
    chat.send("ok")
    assert chat.conversation.language == "es"


def test_a_name_with_accents_does_not_switch_an_english_conversation(inn_chat, inn):
    check_in = days_ahead(inn, 10)
    inn_chat.send(f"I want to book {en_day(check_in)} for 2 nights for 2 people, the suite")

    reply = inn_chat.send("José García")

    assert inn_chat.conversation.language == "en"
    assert "Which email" in reply


def test_next_friday_for_two_nights(inn_chat, inn):
    today = inn.local_today()
    friday = today + datetime.timedelta(days=(4 - today.weekday()) % 7 or 7)

    inn_chat.send("Book next Friday for 2 nights")

    assert inn_chat.conversation.slots["check_in"] == friday.isoformat()
    assert inn_chat.conversation.slots["check_out"] == (friday + datetime.timedelta(days=2)).isoformat()


def test_a_second_yes_books_once(inn_chat, inn):
    check_in = days_ahead(inn, 5)
    inn_chat.send(f"book the suite {en_day(check_in)} for 1 night for 3 people")
    inn_chat.send("Mary Jones")
    inn_chat.send("mary@example.com")

    inn_chat.send("yes")
    again = inn_chat.send("yes")

    with scopes_disabled():
        assert Reservation.objects.count() == 1
        assert Reservation.objects.get().code in again
    assert "already made" in again


def test_restating_the_party_while_asked_for_a_name_is_no_failed_answer(inn_chat, inn):
    check_in = days_ahead(inn, 10)
    check_out = check_in + datetime.timedelta(days=3)
    inn_chat.send(f"need a room for 3 adults {en_day(check_in)} to {en_day(check_out)}")
    inn_chat.send("the suite pls")
    assert inn_chat.conversation.state == "ask_name"

    reply = inn_chat.send("wait sorry its 2 adults and 1 kid")

    assert reply.startswith("Got it, that's what I have.")
    assert "didn't catch" not in reply
    assert "name" in reply
    assert inn_chat.conversation.slots.get("misses", 0) == 0
    assert inn_chat.conversation.slots["guests"] == 3


def test_the_dates_read_are_said_back_before_asking_how_many(inn_chat, inn):
    check_in = days_ahead(inn, 10)

    reply = inn_chat.send(f"i want to book {en_day(check_in)} for 2 nights")

    assert "(2 nights). How many guests will there be?" in reply
