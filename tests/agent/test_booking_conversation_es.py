"""A Spanish-speaking guest books over WhatsApp, from "hola" to a reservation code."""
import datetime

import pytest
from babel.dates import format_date
from django_scopes import scopes_disabled

from reservations.models import Reservation

from .conftest import days_ahead, es_day

pytestmark = pytest.mark.django_db


def book_suite(chat, check_in, check_out):
    chat.send("Hola, quiero reservar una habitación")
    chat.send(f"del {es_day(check_in)} al {es_day(check_out)} para 2 adultos")
    chat.send("la suite")
    chat.send("Ana García")
    return chat.send("ana@example.com")


def test_full_booking_ends_with_a_whatsapp_reservation_and_its_code(chat, hotel):
    check_in = days_ahead(hotel, 10)
    check_out = check_in + datetime.timedelta(days=2)

    summary = book_suite(chat, check_in, check_out)
    booked = chat.send("sí")

    with scopes_disabled():
        reservation = Reservation.objects.get()
    assert "¿Confirmo la reserva?" in summary
    assert reservation.code in booked
    assert "¡Reserva confirmada!" in booked
    assert (reservation.check_in, reservation.check_out) == (check_in, check_out)
    assert reservation.room_type.code == "suite"
    assert reservation.source == "whatsapp"
    assert reservation.guest_name == "Ana García"
    assert reservation.guest_email == "ana@example.com"
    assert reservation.guest_phone == "+34612345678"
    assert chat.conversation.guest_name == "Ana García"


def test_each_question_comes_in_turn(chat, hotel):
    check_in = days_ahead(hotel, 10)
    check_out = check_in + datetime.timedelta(days=2)

    assert "¿Para qué fechas?" in chat.send("quiero reservar")
    assert "¿Cuántas personas" in chat.send(f"del {es_day(check_in)} al {es_day(check_out)}")
    rooms = chat.send("dos personas")
    assert "¿Qué habitación prefieres?" in rooms
    assert "Standard" in rooms and "Deluxe" in rooms and "Suite" in rooms
    assert "¿A nombre de quién" in chat.send("una deluxe")
    assert "email" in chat.send("me llamo Ana García")


def test_summary_lists_room_dates_guests_contact_and_total(chat, hotel):
    check_in = days_ahead(hotel, 10)
    check_out = check_in + datetime.timedelta(days=2)

    summary = book_suite(chat, check_in, check_out)

    for expected in ("Suite", "Noches: 2", "Personas: 2", "Ana García", "ana@example.com", "+34612345678",
                     "Total: 500,00\xa0€"):
        assert expected in summary


def test_a_week_is_priced_with_its_discount_in_euros(chat, hotel):
    check_in = days_ahead(hotel, 10)

    chat.send(f"quiero reservar el {es_day(check_in)} por 7 noches para 2")
    summary = chat.send("estándar") + chat.send("Ana García") + chat.send("ana@example.com")

    assert "Total: 630,00\xa0€ (antes 700,00\xa0€, 10\xa0% de descuento" in summary


def test_a_second_yes_repeats_the_code_without_booking_twice(chat, hotel):
    check_in = days_ahead(hotel, 10)
    book_suite(chat, check_in, check_in + datetime.timedelta(days=2))

    first = chat.send("sí")
    second = chat.send("sí")

    with scopes_disabled():
        reservation = Reservation.objects.get()
    assert reservation.code in first
    assert reservation.code in second
    assert "no he creado otra" in second


@pytest.mark.parametrize(("answer", "booked"), [("👍", True), ("👍🏽", True), ("✅", True), ("👎", False)])
def test_a_thumbs_up_to_the_summary_books_and_a_thumbs_down_does_not(chat, hotel, answer, booked):
    check_in = days_ahead(hotel, 10)
    book_suite(chat, check_in, check_in + datetime.timedelta(days=2))

    reply = chat.send(answer)

    with scopes_disabled():
        assert Reservation.objects.exists() is booked
    assert ("¡Reserva confirmada!" in reply) is booked


def test_saying_no_to_the_summary_books_nothing(chat, hotel):
    check_in = days_ahead(hotel, 10)
    book_suite(chat, check_in, check_in + datetime.timedelta(days=2))

    reply = chat.send("no")

    with scopes_disabled():
        assert not Reservation.objects.exists()
    assert "no he hecho ninguna reserva" in reply


def test_the_guest_can_change_the_room_at_the_summary(chat, hotel):
    check_in = days_ahead(hotel, 10)
    book_suite(chat, check_in, check_in + datetime.timedelta(days=2))

    summary = chat.send("mejor la deluxe")
    chat.send("vale")

    assert "Habitación: Deluxe" in summary
    with scopes_disabled():
        assert Reservation.objects.get().room_type.code == "deluxe"


def test_availability_lists_every_room_with_nightly_price_and_total(chat, hotel):
    check_in = days_ahead(hotel, 10)

    reply = chat.send(f"¿Tenéis habitaciones del {es_day(check_in)} por 2 noches?")

    assert "Standard (hasta 2 personas): 100,00\xa0€ por noche, total 200,00\xa0€" in reply
    assert "Deluxe (hasta 3 personas): 150,00\xa0€ por noche, total 300,00\xa0€" in reply
    assert "Suite (hasta 4 personas): 250,00\xa0€ por noche, total 500,00\xa0€" in reply
    assert "¿Para cuántas personas" in reply  # the answer first, then the one question that moves on


def test_yes_after_availability_starts_the_booking_with_those_dates(chat, hotel):
    check_in = days_ahead(hotel, 10)
    chat.send(f"¿hay sitio el {es_day(check_in)} por 2 noches?")

    reply = chat.send("sí")

    assert "¿Cuántas personas" in reply
    assert chat.conversation.slots["check_in"] == check_in.isoformat()


def test_a_price_question_without_dates_gives_rates_and_asks_for_dates(chat):
    reply = chat.send("¿Cuánto cuesta una noche?")

    assert "Standard (hasta 2 personas): 100,00\xa0€" in reply
    assert "Dime las fechas" in reply


def test_this_weekend_is_friday_to_sunday(chat, hotel):
    today = hotel.local_today()
    # On Saturday the weekend has begun (Friday was yesterday); on Sunday it has gone.
    friday = today + datetime.timedelta(days=5 if today.weekday() == 6 else 4 - today.weekday())

    chat.send("quiero reservar este fin de semana")

    assert chat.conversation.slots["check_in"] == max(friday, today).isoformat()
    assert chat.conversation.slots["check_out"] == (friday + datetime.timedelta(days=2)).isoformat()


def test_tomorrow_for_three_nights_fills_both_dates(chat, hotel):
    tomorrow = days_ahead(hotel, 1)

    chat.send("Quiero reservar mañana por 3 noches para dos")

    assert chat.conversation.slots["check_in"] == tomorrow.isoformat()
    assert chat.conversation.slots["check_out"] == (tomorrow + datetime.timedelta(days=3)).isoformat()
    assert chat.conversation.state == "ask_room_type"


def test_check_out_can_be_given_after_the_check_in(chat, hotel):
    check_in = days_ahead(hotel, 10)
    chat.send(f"quiero reservar el {es_day(check_in)}")

    chat.send("3 noches")

    assert chat.conversation.slots["check_out"] == (check_in + datetime.timedelta(days=3)).isoformat()


def test_after_booking_new_dates_start_a_new_booking(chat, hotel):
    check_in = days_ahead(hotel, 10)
    book_suite(chat, check_in, check_in + datetime.timedelta(days=2))
    chat.send("sí")
    later = days_ahead(hotel, 30)

    chat.send(f"¿y del {es_day(later)} al {es_day(later + datetime.timedelta(days=1))}?")
    reply = chat.send("sí")

    assert "¿Cuántas personas" in reply
    assert chat.conversation.slots["check_in"] == later.isoformat()
    assert "reservation_code" not in chat.conversation.slots


def test_until_a_day_answers_the_check_out_question(chat, hotel):
    check_in = days_ahead(hotel, 10)
    check_out = check_in + datetime.timedelta(days=4)
    chat.send(f"quiero reservar el {es_day(check_in)}")

    chat.send(f"hasta el {check_out.day}")

    assert chat.conversation.slots["check_out"] == check_out.isoformat()


@pytest.mark.parametrize("pick", ["vale la suite", "vale, la suite", "ok la suite", "pues la suite"])
def test_okay_the_suite_picks_it_rather_than_asking_its_price(chat, hotel, pick):
    check_in = days_ahead(hotel, 10)
    chat.send(f"hola, para 4 personas el {es_day(check_in)} 2 noches")

    reply = chat.send(pick)

    assert reply.startswith("Perfecto: Suite")
    assert "Precios del" not in reply
    assert chat.conversation.slots["room_type"] == "suite"


def test_what_the_suite_costs_is_still_a_price_question(chat, hotel):
    check_in = days_ahead(hotel, 10)
    chat.send(f"hola, para 2 personas el {es_day(check_in)} 2 noches")

    reply = chat.send("y que vale la suite?")

    assert "250,00\xa0€ por noche" in reply
    assert not reply.startswith("Perfecto")


def test_other_dates_while_asked_how_many_get_those_dates_prices(chat, hotel):
    first = days_ahead(hotel, 10)
    later = days_ahead(hotel, 20)
    chat.send(f"teneis algo para el {es_day(first)}?")
    assert chat.conversation.state == "ask_guests"

    reply = chat.send(f"y para el {es_day(later)} 2 noches?")

    assert f"{later.day} de" in reply
    assert "100,00\xa0€ por noche, total 200,00\xa0€" in reply
    assert "¿Para cuántas personas" in reply


def test_the_dates_read_are_said_back_with_the_question_about_the_party(chat, hotel):
    check_in = days_ahead(hotel, 10)
    check_out = check_in + datetime.timedelta(days=3)

    reply = chat.send(f"quiero reservar del {es_day(check_in)} al {es_day(check_out)}")
    corrected = chat.send(f"no perdón, del {es_day(check_in + datetime.timedelta(days=1))} "
                          f"al {es_day(check_out + datetime.timedelta(days=1))}")

    moved = check_in + datetime.timedelta(days=1)
    assert f"Perfecto, del {format_date(check_in, 'EEEE, d', locale='es')} de" in reply
    assert "(3 noches). ¿Cuántas personas seréis?" in reply
    assert f"Perfecto, del {format_date(moved, 'EEEE, d', locale='es')} de" in corrected


@pytest.mark.parametrize("correction", [
    "ah no espera, mejor del 21", "perdon, desde el 21", "mejor del dia 21",
])
def test_a_new_first_night_mid_booking_moves_the_stay_and_keeps_the_rest(chat, hotel, correction):
    """"no espera, mejor del 21" is a correction, not "no" to the booking."""
    check_in = days_ahead(hotel, 40).replace(day=20)  # 9 to 70 days ahead, a 20th
    chat.send(f"quiero reservar 2 noches a partir del {es_day(check_in)}, somos dos")
    chat.send("la deluxe")

    reply = chat.send(correction)

    slots = chat.conversation.slots
    assert slots["check_in"] == check_in.replace(day=21).isoformat()
    assert slots["check_out"] == check_in.replace(day=23).isoformat()
    assert slots["room_type"] == "deluxe" and slots["guests"] == 2
    assert reply.startswith("Perfecto: Deluxe")
    assert chat.conversation.state == "ask_name"
