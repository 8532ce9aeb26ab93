"""When a booking or a cancellation gives up waiting for a lock (Busy), the guest
is asked, in their language, to try again in a moment; the conversation stays
where it was, so sending the same "yes" again goes through."""
import datetime
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django_scopes import scopes_disabled

from reservations.errors import Busy
from reservations.models import Reservation
from reservations.services import reservation_create
from tests.factories import stay
from webhooks.agent.dialogue.skills import booking, existing_reservation

from .conftest import GUEST_PHONE, days_ahead, en_day, es_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(monkeypatch):
    """Until undone, every booking and cancellation gives up on a lock."""

    def give_up(**kwargs):
        raise Busy()

    monkeypatch.setattr(booking, "reservation_create", give_up)
    monkeypatch.setattr(existing_reservation, "reservation_cancel", give_up)
    return monkeypatch


def reservations():
    with scopes_disabled():
        return list(Reservation.objects.all())


def reach_summary_es(chat, tenant):
    check_in = days_ahead(tenant, 10)
    check_out = check_in + datetime.timedelta(days=2)
    chat.send(f"quiero reservar del {es_day(check_in)} al {es_day(check_out)} para 2 personas")
    chat.send("la suite")
    chat.send("Ana García")
    return chat.send("ana@example.com")


def reach_summary_en(chat, tenant):
    check_in = days_ahead(tenant, 10)
    check_out = check_in + datetime.timedelta(days=2)
    chat.send(f"I'd like to book from {en_day(check_in)} to {en_day(check_out)}, 2 people")
    chat.send("the standard one")
    chat.send("My name is John Smith")
    return chat.send("john@example.com")


def test_a_busy_booking_asks_a_spanish_guest_to_try_again(chat, hotel, busy):
    reach_summary_es(chat, hotel)

    reply = chat.send("sí")

    assert reply.startswith("Un momento, por favor")
    assert "vuelve a enviarme tu último mensaje" in reply
    assert reservations() == []


def test_a_busy_booking_asks_an_english_guest_to_try_again(inn_chat, inn, busy):
    reach_summary_en(inn_chat, inn)

    reply = inn_chat.send("yes")

    assert reply.startswith("One moment, please")
    assert "send your last message again" in reply


def test_after_busy_the_same_yes_books(chat, hotel, busy):
    reach_summary_es(chat, hotel)
    chat.send("sí")
    assert chat.conversation.state == "confirm_booking"
    busy.undo()

    booked = chat.send("sí")

    [reservation] = reservations()
    assert f"Tu código es {reservation.code}" in booked


def test_a_busy_cancellation_keeps_the_question_open(chat, hotel, busy):
    check_in, check_out = stay(tenant=hotel)
    reservation = reservation_create(
        tenant=hotel, room_type="standard", check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone=GUEST_PHONE, source="api",
    )
    chat.send(f"cancelar {reservation.code}")

    assert chat.send("sí").startswith("Un momento, por favor")
    busy.undo()

    assert "cancelada" in chat.send("sí")


@contextmanager
def booking_held_open(tenant, **guest):
    """Another worker's booking for this guest, its transaction (and locks) left open."""
    taken, release = threading.Event(), threading.Event()

    def worker():
        try:
            with transaction.atomic():
                check_in, check_out = stay(days_ahead=30, tenant=tenant)
                reservation_create(tenant=tenant, room_type="standard", check_in=check_in,
                                   check_out=check_out, guests=1, source="web", **guest)
                taken.set()
                release.wait(30)
        finally:
            taken.set()
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    assert taken.wait(10)
    try:
        yield
    finally:
        release.set()
        thread.join(10)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL locks")
@pytest.mark.django_db(transaction=True)
def test_a_guest_booking_twice_at_once_is_asked_to_try_again(chat, hotel, settings):
    settings.LOCK_TIMEOUT_SECONDS = 0.2
    reach_summary_es(chat, hotel)

    with booking_held_open(hotel, guest_name="Ana García", guest_email="ana@example.com",
                           guest_phone=GUEST_PHONE):
        reply = chat.send("sí")

    assert reply.startswith("Un momento, por favor")
    assert "Tu código es" in chat.send("sí")
    assert len(reservations()) == 2
