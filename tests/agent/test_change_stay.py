"""Guests move their own bookings by message ("can we move it to the 17th?"):
asked once with the new dates spelled out, moved through reservation_change
(same rules, locks and prices as a booking), refused kindly when full."""
import datetime

import pytest
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory, Reservation
from reservations.services import reservation_create
from security.models import AuditEvent
from tests.factories import stay

from .conftest import GUEST_PHONE, days_ahead, en_day, es_day

pytestmark = pytest.mark.django_db


def book(tenant, room_type="standard", days=10, nights=2, phone=GUEST_PHONE):
    check_in, check_out = stay(days, nights, tenant=tenant)
    return reservation_create(
        tenant=tenant, room_type=room_type, check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone=phone, source="api",
    )


def stored(reservation) -> Reservation:
    with scopes_disabled():
        return Reservation.objects.select_related("room_type").get(pk=reservation.pk)


def booked_nights(room_type_id) -> dict[datetime.date, int]:
    with scopes_disabled():
        return dict(NightlyInventory.objects.filter(room_type_id=room_type_id, rooms_booked__gt=0)
                    .values_list("date", "rooms_booked"))


def test_moving_to_a_day_keeps_the_length_and_asks_first(inn_chat, inn):
    reservation = book(inn)
    new_check_in = days_ahead(inn, 20)

    question = inn_chat.send(f"hi, can we move my booking to {en_day(new_check_in)}?")

    assert "Shall I change it?" in question and reservation.code in question
    assert stored(reservation).check_in == reservation.check_in  # nothing moved yet

    done = inn_chat.send("yes please")

    moved = stored(reservation)
    assert "Done: booking" in done and "New total: $240.00" in done
    assert (moved.check_in, moved.check_out, moved.nights) == (
        new_check_in, new_check_in + datetime.timedelta(days=2), 2)
    assert set(booked_nights(moved.room_type_id)) == {new_check_in, new_check_in + datetime.timedelta(days=1)}
    with scopes_disabled():
        assert AuditEvent.objects.filter(resource=f"reservation:{reservation.code}",
                                         action__icontains="change").exists()


def test_spanish_without_dates_asks_which_then_moves(chat, hotel):
    reservation = book(hotel)
    new_in, new_out = days_ahead(hotel, 30), days_ahead(hotel, 33)

    assert "¿A qué fechas quieres mover la reserva" in chat.send("hola, kiero cambiar la fecha de mi reserva")
    question = chat.send(f"del {es_day(new_in)} al {es_day(new_out)}")
    assert "¿La cambio?" in question and "3 noches" in question

    done = chat.send("si")

    moved = stored(reservation)
    assert "Hecho: la reserva" in done and "300,00\xa0€" in done
    assert (moved.check_in, moved.check_out, moved.nights) == (new_in, new_out, 3)


def test_no_keeps_the_booking_as_it_was(chat, hotel):
    reservation = book(hotel)
    chat.send(f"podemos pasar la reserva {reservation.code} al {es_day(days_ahead(hotel, 40))}?")

    reply = chat.send("no")

    assert "se queda como estaba" in reply
    assert stored(reservation).check_in == reservation.check_in


def test_a_full_night_refuses_the_move_and_keeps_the_stay(chat, hotel):
    reservation = book(hotel, room_type="suite")  # the hotel's only suite
    other = book(hotel, room_type="suite", days=25, phone="+34699000111")
    before = booked_nights(reservation.room_type_id)

    chat.send(f"quiero mover la reserva {reservation.code} al {es_day(other.check_in)}")
    reply = chat.send("sí")

    assert "no queda sitio" in reply and "sigue como estaba" in reply
    assert stored(reservation).check_in == reservation.check_in
    assert booked_nights(reservation.room_type_id) == before


def test_someone_elses_booking_is_not_moved_on_a_code_alone(chat, hotel):
    reservation = book(hotel, phone="+34699000111")

    reply = chat.send(f"cambiar la reserva {reservation.code} al {es_day(days_ahead(hotel, 40))}")

    assert "email" in reply.lower()
    assert stored(reservation).check_in == reservation.check_in


def test_a_cancelled_booking_is_not_moved(chat, hotel):
    from reservations.services import reservation_cancel

    reservation = book(hotel)
    reservation_cancel(tenant=hotel, code=reservation.code, source="api")

    reply = chat.send(f"can we move {reservation.code} to {en_day(days_ahead(hotel, 40))}?")

    assert "cancel" in reply.lower()
    assert stored(reservation).status == "cancelled"


def test_a_bare_day_is_read_in_the_month_of_the_stay(chat, hotel):
    reservation = book(hotel, days=40)
    day = reservation.check_in.day % 28 + 1
    question = chat.send(f"hola, podriamos moverla al {day}? 🙏")
    assert "¿La cambio?" in question

    chat.send("sip")

    moved = stored(reservation)
    assert moved.check_in.day == day and moved.nights == reservation.nights
    assert moved.check_in >= hotel.local_today()


def test_corrections_while_asked_to_confirm_take_the_new_dates(inn_chat, inn):
    reservation = book(inn)
    inn_chat.send(f"can we move it to {en_day(days_ahead(inn, 20))}")
    new_in, new_out = days_ahead(inn, 30), days_ahead(inn, 31)

    question = inn_chat.send(f"sorry i meant {en_day(new_in)} to {en_day(new_out)}")
    assert "1 night" in question
    inn_chat.send("yes")

    assert (stored(reservation).check_in, stored(reservation).check_out) == (new_in, new_out)


@pytest.mark.parametrize(("words", "days"), [
    ("can we move my booking a day later?", 1), ("move it 2 days earlier please", -2),
    ("push it back a week", 7),
])
def test_moving_by_some_days_keeps_the_length(inn_chat, inn, words, days):
    reservation = book(inn)

    inn_chat.send(words)
    inn_chat.send("yes")

    moved = stored(reservation)
    shift = datetime.timedelta(days=days)
    assert (moved.check_in, moved.check_out) == (reservation.check_in + shift, reservation.check_out + shift)


def test_spanish_un_dia_mas_tarde(chat, hotel):
    reservation = book(hotel)

    question = chat.send("podeis pasar mi reserva un dia mas tarde?")

    assert reservation.code in question and "¿La cambio?" in question
    assert chat.conversation.slots["change_check_in"] == (
        reservation.check_in + datetime.timedelta(days=1)).isoformat()


def test_the_new_dates_survive_the_email_check(inn_chat, inn):
    """A booking made with another phone is proven by its email; the dates were
    in the first message and are not asked for again."""
    reservation = book(inn, phone="+12125550199")

    inn_chat.send(f"hi i need to move my reservation {reservation.code} to a day later")
    question = inn_chat.send("ana@example.com")

    assert "Shall I change it?" in question
    assert inn_chat.conversation.slots["change_check_in"] == (
        reservation.check_in + datetime.timedelta(days=1)).isoformat()
    assert "pending_request" not in inn_chat.conversation.slots
