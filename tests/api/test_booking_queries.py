"""What a booking costs the database: the same statements for 2 nights as for 28.

Nights are locked, checked and taken set-wise (reservations/services.py), so a long
stay adds rows to each statement, never statements; room types and the hotel's
other bookings add nothing either. MAX_QUERIES is today's count on PostgreSQL
(14: each lock timeout is sent with its advisory locks, and neither the
reservation's code nor its audit row needs a savepoint; 12 on SQLite) with a little room: a change that
crosses it should say why in its commit.
"""
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from reservations.models import Reservation
from tests.factories import RoomTypeFactory, stay

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
_guests = itertools.count(1)


@pytest.fixture
def api(api, book, tenant):
    """A key already in use (its first request of the minute also writes
    last_used_at) in a hotel that took a booking before: the very first booking of
    an installation also creates the guest links' signing secret."""
    statements_for_booking(book, tenant, nights=1, days_ahead=110)
    return api


def statements_for_booking(book, tenant, *, nights: int, days_ahead: int = 10) -> list[str]:
    check_in, check_out = stay(days_ahead=days_ahead, nights=nights, tenant=tenant)
    guest = next(_guests)  # each a guest of their own: one guest may hold only so many stays
    with CaptureQueriesContext(connection) as queries:
        response = book(check_in=check_in.isoformat(), check_out=check_out.isoformat(),
                        guest_email=f"guest{guest}@example.com", guest_phone=f"612 345 {guest:03d}")
    assert response.status_code == 201, response.content
    assert response.json()["nights"] == nights
    return [query["sql"] for query in queries.captured_queries]


def test_twenty_eight_nights_cost_as_many_queries_as_two(api, book, tenant):
    two = statements_for_booking(book, tenant, nights=2)
    twenty_eight = statements_for_booking(book, tenant, nights=28, days_ahead=40)

    assert len(twenty_eight) == len(two) <= MAX_QUERIES
    with scopes_disabled():
        assert sorted(r.nights for r in Reservation.objects.all()) == [1, 2, 28]


def test_other_room_types_and_bookings_cost_nothing_more(api, book, tenant):
    first = statements_for_booking(book, tenant, nights=3)
    RoomTypeFactory.create_batch(4, tenant=tenant)
    for n in range(3):
        statements_for_booking(book, tenant, nights=2, days_ahead=60 + 5 * n)

    again = statements_for_booking(book, tenant, nights=3, days_ahead=100)

    assert len(again) == len(first) <= MAX_QUERIES
