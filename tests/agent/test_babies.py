"""A baby told "free crib on request" is the request: the summary and the
confirmation say it, and the hotel's staff find the crib on the reservation."""
import datetime

import pytest
from django_scopes import scopes_disabled

from reservations.models import Reservation

from .conftest import book_the_deluxe, days_ahead, en_day

pytestmark = pytest.mark.django_db


def book_with_baby(chat, hotel, party="dos adultos y un bebe"):
    return book_the_deluxe(chat, hotel, party)


def test_the_baby_is_in_the_summary_the_confirmation_and_the_reservation(chat, hotel):
    summary, booked = book_with_baby(chat, hotel)

    with scopes_disabled():
        reservation = Reservation.objects.get()
    assert "• Personas: 2 + 1 bebé (con cuna)" in summary
    assert "2 personas + 1 bebé, con cuna)" in booked
    assert reservation.guests == 2
    assert reservation.special_requests == "Cuna para 1 bebé (pedida en el chat)."


def test_twins_get_two_cribs(chat, hotel):
    summary, _booked = book_with_baby(chat, hotel, party="2 adultos y 2 bebes")

    with scopes_disabled():
        reservation = Reservation.objects.get()
    assert "• Personas: 2 + 2 bebés (con cuna)" in summary
    assert reservation.special_requests == "Cunas para 2 bebés (pedidas en el chat)."


def test_where_the_hotel_counts_babies_the_party_is_still_told_as_two_and_a_baby(chat, hotel):
    hotel.infants_count_as_guests = True
    hotel.save()

    summary, booked = book_with_baby(chat, hotel)

    with scopes_disabled():
        reservation = Reservation.objects.get()
    assert reservation.guests == 3  # the room must sleep the baby too
    assert "• Personas: 2 + 1 bebé (con cuna)" in summary
    assert "2 personas + 1 bebé, con cuna)" in booked


def test_an_english_guest_at_a_spanish_hotel_reads_english_and_staff_read_spanish(chat, hotel):
    check_in = days_ahead(hotel, 10)
    chat.send(f"Hi, the deluxe from {en_day(check_in)} to {en_day(check_in + datetime.timedelta(days=2))}, "
              "2 adults and a baby")
    chat.send("John Smith")
    summary = chat.send("john@example.com")
    booked = chat.send("yes")

    with scopes_disabled():
        reservation = Reservation.objects.get()
    assert "• Guests: 2 + 1 baby (with a crib)" in summary
    assert "2 guests + 1 baby, with a crib)" in booked
    assert reservation.special_requests == "Cuna para 1 bebé (pedida en el chat)."


def test_without_a_baby_nothing_is_requested(chat, hotel):
    summary, _booked = book_with_baby(chat, hotel, party="2 adultos")

    with scopes_disabled():
        reservation = Reservation.objects.get()
    assert "bebé" not in summary
    assert reservation.special_requests == ""
