"""Real concurrency against PostgreSQL: many threads, each with its own database
connection, released together by a barrier. SQLite serializes writers, so
these prove nothing there and are skipped."""
import threading
from collections import Counter

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from reservations.errors import LimitReached, Unavailable
from reservations.models import NightlyInventory, Reservation
from reservations.services import reservation_cancel, reservation_create
from tests.factories import RoomTypeFactory, stay

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]

THREADS = 20


def run_together(calls) -> list:
    """Run each call in its own thread, all starting at once; return what each
    returned or raised, in call order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = call()
        except Exception as error:  # the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a booking thread hung (deadlock?)"
    return outcomes


def kinds(outcomes) -> Counter:
    return Counter(type(outcome).__name__ for outcome in outcomes)


def booking(tenant, room_type, n, *, check_in, check_out, email=None, phone=None):
    return lambda: reservation_create(
        tenant=tenant, room_type=room_type.code, check_in=check_in, check_out=check_out, guests=1,
        guest_name=f"Guest {n}", guest_email=email or f"guest{n}@example.com",
        guest_phone=phone or f"+346123450{n:02d}", source="api",
    )


def nights_of(room_type, check_in, check_out) -> list[tuple[int, int]]:
    with scopes_disabled():
        return list(
            NightlyInventory.objects.filter(room_type=room_type, date__gte=check_in, date__lt=check_out)
            .order_by("date").values_list("rooms_booked", "rooms_total")
        )


def test_twenty_guests_racing_for_the_last_room_book_it_once(tenant):
    last_room = RoomTypeFactory(tenant=tenant, room_count=1)
    check_in, check_out = stay(nights=3, tenant=tenant)

    outcomes = run_together([
        booking(tenant, last_room, n, check_in=check_in, check_out=check_out) for n in range(THREADS)
    ])

    assert kinds(outcomes) == {"Reservation": 1, "Unavailable": THREADS - 1}
    assert nights_of(last_room, check_in, check_out) == [(1, 1)] * 3


def test_one_guest_booking_twenty_times_at_once_gets_only_the_allowed_two(tenant):
    tenant.max_active_reservations_per_guest = 2
    tenant.save()
    roomy = RoomTypeFactory(tenant=tenant, room_count=THREADS + 5)
    check_in, check_out = stay(nights=2, tenant=tenant)

    outcomes = run_together([
        booking(tenant, roomy, n, check_in=check_in, check_out=check_out,
                email="ana@example.com", phone="+34612345678")
        for n in range(THREADS)
    ])

    assert kinds(outcomes) == {"Reservation": 2, "LimitReached": THREADS - 2}
    assert all(isinstance(o, Reservation | LimitReached) for o in outcomes)
    assert nights_of(roomy, check_in, check_out) == [(2, THREADS + 5)] * 2


def test_cancelling_while_others_book_keeps_every_night_counted(tenant):
    rooms = RoomTypeFactory(tenant=tenant, room_count=5)
    held_in, held_out = stay(days_ahead=10, nights=4, tenant=tenant)  # nights 10-13
    new_in, new_out = stay(days_ahead=12, nights=4, tenant=tenant)  # nights 12-15, 12-13 full
    held = [booking(tenant, rooms, n, check_in=held_in, check_out=held_out)() for n in range(5)]
    connection.close()

    outcomes = run_together(
        [lambda code=r.code: reservation_cancel(tenant=tenant, code=code, source="api") for r in held]
        + [booking(tenant, rooms, n, check_in=new_in, check_out=new_out) for n in range(5, THREADS)]
    )

    assert all(isinstance(o, Reservation | Unavailable) for o in outcomes), kinds(outcomes)
    with scopes_disabled():
        confirmed = list(Reservation.objects.filter(status=Reservation.Status.CONFIRMED))
        assert Reservation.objects.filter(status=Reservation.Status.CANCELLED).count() == 5
        nights = list(NightlyInventory.objects.filter(room_type=rooms, date__gte=held_in, date__lt=new_out))
    assert len(confirmed) <= 5
    for night in nights:
        staying = [r for r in confirmed if r.check_in <= night.date < r.check_out]
        assert (night.rooms_booked, night.rooms_total) == (len(staying), 5), night
