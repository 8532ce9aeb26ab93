"""Locks that give up (security.locking): a writer waits at most LOCK_TIMEOUT_SECONDS
for a lock another transaction holds, then gets Busy, which every edge turns into
"try again". The lock is held for real by another thread with its own PostgreSQL
connection; SQLite serializes writers, so those tests are skipped there."""
import datetime
import re
import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from reservations.errors import Busy
from reservations.models import NightlyInventory, PendingBooking, Reservation
from reservations.services import (
    pending_booking_create,
    pending_booking_retry,
    reservation_cancel,
    reservation_change,
    reservation_create,
    reservation_mark_no_show,
)
from reservations.tasks import retry_pending_bookings
from security import audit, locking
from security.rotation import rotate, rotate_due_secrets
from security.secret_store import WEBHOOK_SECRET, secret_create, secret_rotate
from tests.factories import RoomTypeFactory, stay

on_postgres = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL locks"),
    pytest.mark.django_db(transaction=True),
]


def with_postgres(test):
    for mark in reversed(on_postgres):
        test = mark(test)
    return test


TIMEOUT = 0.2  # seconds; the production default is a few
GAVE_UP_QUICKLY = 3  # seconds: well under "until the worker dies"

URL = "/api/v1/reservations/"


@pytest.fixture
def short_timeout(settings):
    settings.LOCK_TIMEOUT_SECONDS = TIMEOUT


@contextmanager
def held(take):
    """Run `take` in another thread and connection inside a transaction that
    stays open, with every lock it took, until the block ends."""
    taken, release, errors = threading.Event(), threading.Event(), []

    def worker():
        try:
            with transaction.atomic():
                take()
                taken.set()
                assert release.wait(30)
        except Exception as error:  # the test inspects what went wrong
            errors.append(error)
            taken.set()
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    assert taken.wait(10)
    assert errors == []
    try:
        yield
    finally:
        release.set()
        thread.join(10)
        assert not thread.is_alive()


@contextmanager
def gives_up_quickly():
    started = time.monotonic()
    with pytest.raises(Busy):
        yield
    assert time.monotonic() - started < GAVE_UP_QUICKLY


def booking(tenant, room_type, *, email="ana@example.com", phone="+34612345678", **changes):
    check_in, check_out = stay(tenant=tenant)
    return {"tenant": tenant, "room_type": room_type.code, "check_in": check_in, "check_out": check_out,
            "guests": 1, "guest_name": "Ana García", "guest_email": email, "guest_phone": phone,
            "source": "api", **changes}


def reservation_count():
    with scopes_disabled():
        return Reservation.objects.count()


# --- the lock order ----------------------------------------------------------

def test_locks_are_taken_in_one_order_whatever_order_they_are_named_in():
    names = ["secret:jwt_secret:1", "audit-chain:tenant:1", "1:ana@example.com", "1:+34612345678"]

    in_order = sorted(locking.lock_key(name) for name in names)
    assert locking.lock_keys(names) == locking.lock_keys(reversed(names)) == in_order


def test_a_name_given_twice_is_locked_once():
    assert locking.lock_keys(["a", "b", "a"]) == locking.lock_keys(["b", "a"])


def test_a_lock_key_fits_a_postgresql_bigint():
    for name in ("", "a", "secret:webhook_secret:global", "ñ" * 300):
        assert -(2 ** 63) <= locking.lock_key(name) < 2 ** 63


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite only")
def test_on_sqlite_locking_is_only_a_transaction():
    with CaptureQueriesContext(connection) as queries, locking.locked("a", "b"):
        assert connection.in_atomic_block

    assert not [q for q in queries if "lock" in q["sql"].lower()]


@with_postgres
def test_the_timeout_is_set_before_the_locks_which_go_in_ascending_order(short_timeout):
    with CaptureQueriesContext(connection) as queries, locking.locked("zeta", "alpha", "mu"):
        pass

    statements = [q["sql"] for q in queries if "lock" in q["sql"].lower()]
    assert len(statements) == 1  # one round trip for the timeout and every lock
    [sql] = statements
    assert "set_config('lock_timeout', '200ms', true)" in sql
    keys = [int(key) for key in re.search(r"unnest\('\{([^}]*)\}'", sql).group(1).split(",")]
    assert keys == locking.lock_keys(["alpha", "mu", "zeta"])


@with_postgres
def test_the_timeout_is_in_force_before_the_first_lock(short_timeout):
    """The key another transaction holds is the first one asked for: without the
    timeout already set, the wait would last until the holder ends."""
    names = ["alpha", "mu", "zeta"]
    first = min(locking.lock_keys(names))
    holder = next(name for name in names if locking.lock_key(name) == first)

    with held(lambda: locking._lock((holder,))), gives_up_quickly(), locking.locked(*names):
        pass


@with_postgres
def test_the_timeout_and_every_lock_hold_until_the_transaction_ends(short_timeout):
    names = ("zeta", "alpha", "mu")
    with transaction.atomic(), connection.cursor() as cursor:
        with locking.locked(*names):
            pass
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "200ms"
        cursor.execute(
            "SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks"
            " WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        held_keys = {row[0] for row in cursor.fetchall()}

    assert held_keys == set(locking.lock_keys(names))


# --- bookings ----------------------------------------------------------------

@with_postgres
def test_a_second_booking_of_the_same_guest_gives_up_with_busy(tenant, short_timeout):
    rooms = RoomTypeFactory(tenant=tenant, room_count=5)

    with held(lambda: reservation_create(**booking(tenant, rooms))), gives_up_quickly():
        reservation_create(**booking(tenant, rooms, guest_name="Ana otra vez"))

    assert reservation_count() == 1  # the holder's, committed once released


@with_postgres
def test_the_same_phone_with_another_email_is_the_same_guest(tenant, short_timeout):
    rooms = RoomTypeFactory(tenant=tenant, room_count=5)

    with held(lambda: reservation_create(**booking(tenant, rooms))), gives_up_quickly():
        reservation_create(**booking(tenant, rooms, email="otra@example.com"))


@with_postgres
def test_the_nights_row_lock_gives_up_too(tenant, short_timeout):
    rooms = RoomTypeFactory(tenant=tenant, room_count=5)
    check_in, check_out = stay(tenant=tenant)

    def lock_the_nights():
        with scopes_disabled():
            list(NightlyInventory.objects.select_for_update()
                 .filter(room_type=rooms, date__gte=check_in, date__lt=check_out))

    with held(lock_the_nights), gives_up_quickly():
        reservation_create(**booking(tenant, rooms))

    assert reservation_count() == 0


@with_postgres
def test_once_the_lock_is_released_the_same_booking_goes_through(tenant, short_timeout):
    rooms = RoomTypeFactory(tenant=tenant, room_count=5)

    with held(lambda: reservation_create(**booking(tenant, rooms))), gives_up_quickly():
        reservation_create(**booking(tenant, rooms, guest_name="Ana otra vez"))
    reservation_create(**booking(tenant, rooms, guest_name="Ana otra vez"))

    assert reservation_count() == 2


@with_postgres
def test_the_api_answers_busy_with_retry_after_and_keeps_no_answer(tenant, api, short_timeout):
    rooms = RoomTypeFactory(tenant=tenant, room_count=5)
    payload = {**booking(tenant, rooms), "check_in": stay(tenant=tenant)[0].isoformat(),
               "check_out": stay(tenant=tenant)[1].isoformat()}
    del payload["tenant"], payload["source"]
    headers = {"Idempotency-Key": "busy-then-booked"}

    with held(lambda: reservation_create(**booking(tenant, rooms, guest_name="Ana primero"))):
        response = api.post(URL, payload, format="json", headers=headers)

    assert response.status_code == 409
    assert response.json() == {"error": "busy", "retry_after": 1}
    assert response["Retry-After"] == "1"
    retry = api.post(URL, payload, format="json", headers=headers)
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry


# --- the audit chain ---------------------------------------------------------

def record(tenant, step):
    return audit.record(audit.Type.DATA_ACCESS, tenant=tenant, actor="test", details={"step": step})


@with_postgres
def test_an_audit_event_gives_up_when_its_chain_is_held(tenant, short_timeout):
    with held(lambda: record(tenant, 1)), gives_up_quickly():
        record(tenant, 2)


@with_postgres
def test_a_booking_gives_up_whole_when_its_hotels_chain_is_held(tenant, short_timeout):
    """The booking's audit row takes the chain without a savepoint of its own: the
    Busy must still roll the whole booking back, nights included."""
    rooms = RoomTypeFactory(tenant=tenant, room_count=5)

    with held(lambda: record(tenant, 1)), gives_up_quickly():
        reservation_create(**booking(tenant, rooms))

    assert reservation_count() == 0
    with scopes_disabled():
        assert not NightlyInventory.objects.filter(room_type=rooms, rooms_booked__gt=0).exists()
    reservation_create(**booking(tenant, rooms))  # the connection is usable: no broken transaction
    assert reservation_count() == 1


def booked_nights(room_type):
    with scopes_disabled():
        return sorted(NightlyInventory.objects.filter(room_type=room_type, rooms_booked__gt=0)
                      .values_list("date", flat=True))


@with_postgres
def test_a_cancellation_gives_up_whole_when_its_hotels_chain_is_held(tenant, short_timeout):
    """Like the booking's, the cancellation's audit row has no savepoint of its own."""
    rooms = RoomTypeFactory(tenant=tenant, room_count=5)
    reservation = reservation_create(**booking(tenant, rooms))
    nights = booked_nights(rooms)

    with held(lambda: record(tenant, 1)), gives_up_quickly():
        reservation_cancel(tenant=tenant, code=reservation.code, source="api")

    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.CONFIRMED
    assert booked_nights(rooms) == nights
    reservation_cancel(tenant=tenant, code=reservation.code, source="api")  # the connection is usable
    assert booked_nights(rooms) == []


@with_postgres
def test_a_change_gives_up_whole_when_its_hotels_chain_is_held(tenant, short_timeout):
    rooms = RoomTypeFactory(tenant=tenant, room_count=5)
    reservation = reservation_create(**booking(tenant, rooms))
    nights = booked_nights(rooms)
    later_in, later_out = stay(days_ahead=30, nights=3, tenant=tenant)

    with held(lambda: record(tenant, 1)), gives_up_quickly():
        reservation_change(tenant=tenant, code=reservation.code, check_in=later_in, check_out=later_out,
                           source="api")

    reservation.refresh_from_db()
    assert (reservation.check_in, booked_nights(rooms)) == (nights[0], nights)
    reservation_change(tenant=tenant, code=reservation.code, check_in=later_in, check_out=later_out,
                       source="api")
    assert booked_nights(rooms)[0] == later_in


@with_postgres
def test_a_no_show_gives_up_whole_when_its_hotels_chain_is_held(tenant, short_timeout):
    rooms = RoomTypeFactory(tenant=tenant, room_count=5)
    today = tenant.local_today()
    reservation = reservation_create(**booking(tenant, rooms, check_in=today,
                                               check_out=today + datetime.timedelta(days=2)))

    with held(lambda: record(tenant, 1)), gives_up_quickly():
        reservation_mark_no_show(tenant=tenant, code=reservation.code)

    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.CONFIRMED
    assert len(booked_nights(rooms)) == 2
    reservation_mark_no_show(tenant=tenant, code=reservation.code)
    assert booked_nights(rooms) == []


@with_postgres
def test_another_hotels_chain_does_not_wait(tenant, other_tenant, short_timeout):
    with held(lambda: record(tenant, 1)):
        event = record(other_tenant, 1)  # no Busy: it never waited for the other chain

    assert event.sequence == 1


# --- the secret store --------------------------------------------------------

@with_postgres
def test_a_rotation_gives_up_when_another_holds_the_secret(tenant, short_timeout):
    secret_create(WEBHOOK_SECRET, tenant)

    with held(lambda: secret_rotate(WEBHOOK_SECRET, tenant)), gives_up_quickly():
        rotate(WEBHOOK_SECRET, tenant, force=True)


@with_postgres
def test_the_hourly_rotation_task_retries_a_busy_secret(tenant, short_timeout):
    with held(lambda: secret_create(WEBHOOK_SECRET, tenant)):
        result = rotate_due_secrets.apply()

    # Eager here: the retries (if the suite's Celery state lets them run in-process)
    # all meet the held lock, so the task ends in Busy naming what it could not rotate.
    assert result.state == "FAILURE" and isinstance(result.result, Busy)
    assert f"webhook_secret {tenant.slug}" in str(result.result)
    assert rotate_due_secrets.apply().state == "SUCCESS"


# --- pending bookings --------------------------------------------------------

@pytest.fixture
def deferred(tenant):
    rooms = RoomTypeFactory(tenant=tenant, room_count=5)
    request = booking(tenant, rooms)
    del request["source"]
    return pending_booking_create(client_reference="ref-1", source="whatsapp", notify={}, **request), rooms


def pending_status(pending):
    pending.refresh_from_db()
    return pending.status, pending.attempts


@pytest.mark.django_db
def test_a_busy_pending_booking_stays_pending(deferred, monkeypatch):
    from reservations.services import pending as service

    def busy(**kwargs):
        raise Busy()

    monkeypatch.setattr(service, "reservation_create", busy)
    pending, _ = deferred

    assert pending_booking_retry(pending_id=pending.pk) == "busy"
    assert pending_status(pending) == ("pending", 1)


@with_postgres
def test_the_pending_bookings_task_retries_while_the_guest_is_busy(deferred, tenant, short_timeout):
    pending, rooms = deferred

    with held(lambda: reservation_create(**booking(tenant, rooms, guest_name="Ana primero"))):
        result = retry_pending_bookings.apply()

    assert result.state == "FAILURE" and isinstance(result.result, Busy)
    assert pending_status(pending) == ("pending", 4)  # the run and its three retries
    assert retry_pending_bookings.apply().get()["confirmed"] == 1
    with scopes_disabled():
        assert PendingBooking.objects.get().status == "confirmed"
