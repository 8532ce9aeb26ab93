"""Guests look up and cancel their own reservations by code, and only their own."""
import pytest
from django_scopes import scopes_disabled

from reservations.models import Reservation
from reservations.services import reservation_create
from tests.factories import stay

from .conftest import GUEST_PHONE, Chat, days_ahead, en_day, new_conversation

pytestmark = pytest.mark.django_db


def book(tenant, phone=GUEST_PHONE, email="ana@example.com"):
    check_in, check_out = stay(tenant=tenant)
    return reservation_create(
        tenant=tenant, room_type="standard", check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email=email, guest_phone=phone, source="api",
    )


def status_of(reservation):
    with scopes_disabled():
        reservation.refresh_from_db()
    return reservation.status


def test_status_by_code_shows_dates_room_and_total(chat, hotel):
    reservation = book(hotel)

    reply = chat.send(f"estado de {reservation.code}")

    assert f"Reserva {reservation.code}: confirmada" in reply
    assert "Standard" in reply
    assert "200,00\xa0€" in reply
    assert str(reservation.check_in.day) in reply


def test_a_hotel_question_with_a_code_is_answered_without_proof(chat, hotel):
    """"tengo la reserva HA-…, ¿a qué hora puedo llegar?" asks the hotel: the
    check-in time needs no email, and nothing of the booking is shown."""
    reservation = book(hotel, phone="+34600999888")

    reply = chat.send(f"hola tengo la reserva {reservation.code}, a que hora puedo llegar?")

    assert "15:00" in reply
    assert "email" not in reply
    assert "Ana García" not in reply and "200,00" not in reply


def test_a_status_question_with_a_code_still_asks_for_proof(chat, hotel):
    reservation = book(hotel, phone="+34600999888")

    reply = chat.send(f"tengo la reserva {reservation.code}, sigue en pie? a que hora es el check in?")

    assert "email" in reply


def test_just_a_code_is_a_status_question(inn_chat, inn):
    reservation = book(inn)

    reply = inn_chat.send(reservation.code.lower())

    assert f"Booking {reservation.code}: confirmed" in reply
    assert "$240.00" in reply


def test_cancelling_asks_first_then_cancels(chat, hotel):
    reservation = book(hotel)

    question = chat.send(f"cancelar {reservation.code}")
    assert "¿Seguro que quieres cancelarla?" in question
    assert status_of(reservation) == "confirmed"

    reply = chat.send("sí")

    assert f"la reserva {reservation.code}" in reply and "cancelada" in reply
    assert status_of(reservation) == "cancelled"


def test_cancelling_in_english(inn_chat, inn):
    reservation = book(inn)

    assert "Are you sure" in inn_chat.send(f"cancel my booking {reservation.code}")
    assert "is cancelled" in inn_chat.send("yes")
    assert status_of(reservation) == "cancelled"


def test_no_keeps_the_reservation(chat, hotel):
    reservation = book(hotel)
    chat.send(f"cancelar {reservation.code}")

    reply = chat.send("no")

    assert "sigue en pie" in reply
    assert status_of(reservation) == "confirmed"


def test_cancelling_without_a_code_finds_the_booking_made_with_this_phone(chat, hotel):
    reservation = book(hotel)

    assert "¿Seguro" in chat.send("quiero cancelar mi reserva")
    chat.send("sí")

    assert status_of(reservation) == "cancelled"


def test_cancelling_without_a_code_from_a_phone_with_no_booking_asks_for_the_code(hotel):
    reservation = book(hotel, phone="+34699999999")
    chat = Chat(new_conversation(hotel))

    assert "código de tu reserva" in chat.send("quiero cancelar mi reserva")
    assert reservation.code not in chat.send("no lo tengo")
    assert status_of(reservation) == "confirmed"


def test_a_booking_made_with_another_phone_is_shown_once_its_email_is_given(hotel):
    reservation = book(hotel, phone="+34699999999", email="ana@example.com")
    chat = Chat(new_conversation(hotel))

    asked = chat.send(f"estado de {reservation.code}")
    shown = chat.send("ana@example.com")

    assert "email" in asked and "Ana García" not in asked
    assert "Ana García" in shown and reservation.code in shown


def test_a_wrong_email_reveals_nothing_and_cancels_nothing(hotel):
    reservation = book(hotel, phone="+34699999999", email="ana@example.com")
    chat = Chat(new_conversation(hotel))

    chat.send(f"cancelar {reservation.code}")
    reply = chat.send("alguien@example.com")
    chat.send("sí")

    assert "No encuentro ninguna reserva" in reply
    assert "Ana García" not in reply
    assert status_of(reservation) == "confirmed"


def test_cancel_it_right_after_booking_means_that_booking(inn_chat, inn):
    inn_chat.send(f"book the standard {en_day(days_ahead(inn, 5))} for 2 nights for 2 people")
    inn_chat.send("Mary Jones")
    inn_chat.send("mary@example.com")
    inn_chat.send("yes")

    assert "Are you sure" in inn_chat.send("cancel it")
    inn_chat.send("yes")

    with scopes_disabled():
        assert Reservation.objects.get().status == "cancelled"


def test_another_guests_reservation_is_not_found_and_not_cancelled(hotel):
    reservation = book(hotel, phone="+34699999999", email="other@example.com")
    chat = Chat(new_conversation(hotel))
    status = chat.send(f"estado de {reservation.code}")
    cancel = chat.send(f"cancelar {reservation.code}")
    chat.send("sí")

    assert "email con el que se hizo" in status  # the same question an unknown code gets
    assert "email con el que se hizo" in cancel
    assert "Ana García" not in status + cancel
    assert status_of(reservation) == "confirmed"


def test_another_hotels_reservation_is_not_found(chat, inn):
    reservation = book(inn, email="ana@example.com")

    chat.send(f"estado de {reservation.code}")
    reply = chat.send("ana@example.com")

    assert "No encuentro ninguna reserva" in reply
    assert "Ana García" not in reply


def test_an_unknown_code_gets_the_same_question_as_someone_elses(chat):
    assert "email con el que se hizo" in chat.send("estado de HA-ZZZZZZ")


def test_an_already_cancelled_reservation_says_so(chat, hotel):
    reservation = book(hotel)
    chat.send(f"cancelar {reservation.code}")
    chat.send("sí")

    assert "ya estaba cancelada" in chat.send(f"cancelar {reservation.code}")


@pytest.mark.parametrize("words", ["when is my check in? booking {code}", "{code} cuando es mi llegada?"])
def test_a_question_about_the_booking_itself_still_asks_for_proof(chat, hotel, words):
    reservation = book(hotel, phone="+34600999888")

    reply = chat.send(words.format(code=reservation.code))

    assert "email" in reply
