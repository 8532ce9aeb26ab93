import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scopes_disabled

from reservations.errors import LimitReached, Unavailable
from reservations.models import NightlyInventory, Reservation
from reservations.services import (
    InvalidTransition,
    NotChangeable,
    reservation_cancel,
    reservation_change,
    reservation_check_in,
    reservation_check_out,
    reservation_create,
    reservation_mark_no_show,
)
from security.models import AuditEvent
from tests.factories import RoomTypeFactory, stay
from tests.reservations.test_overbooking_postgres import run_together

pytestmark = pytest.mark.django_db


def book(tenant, **overrides):
    check_in, check_out = stay(tenant=tenant)
    fields = dict(
        room_type="standard", check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone="612345678", source="api",
    )
    fields.update(overrides)
    return reservation_create(tenant=tenant, **fields)


def booked(room_type) -> dict[datetime.date, int]:
    with scopes_disabled():
        return dict(
            NightlyInventory.objects.filter(room_type=room_type, rooms_booked__gt=0)
            .values_list("date", "rooms_booked")
        )


def days(check_in, nights):
    return [check_in + datetime.timedelta(days=i) for i in range(nights)]


def test_moving_the_dates_frees_the_old_nights_and_takes_the_new_ones(tenant, standard):
    reservation = book(tenant)
    new_in, new_out = stay(days_ahead=20, nights=3, tenant=tenant)

    changed = reservation_change(tenant=tenant, code=reservation.code, check_in=new_in, check_out=new_out,
                                 source="admin")

    assert booked(standard) == dict.fromkeys(days(new_in, 3), 1)
    assert (changed.check_in, changed.check_out, changed.nights) == (new_in, new_out, 3)
    assert changed.total == Decimal("300.00")


def test_an_overlapping_move_counts_the_kept_night_once(tenant):
    one_room = RoomTypeFactory(tenant=tenant, code="single", room_count=1)
    reservation = book(tenant, room_type="single")
    later_in = reservation.check_in + datetime.timedelta(days=1)

    reservation_change(tenant=tenant, code=reservation.code, check_in=later_in,
                       check_out=later_in + datetime.timedelta(days=2), source="api")

    assert booked(one_room) == dict.fromkeys(days(later_in, 2), 1)


def test_a_move_into_a_full_night_keeps_the_old_stay(tenant, standard):
    reservation = book(tenant)
    full_in, full_out = stay(days_ahead=30, nights=1, tenant=tenant)
    for n in range(3):
        book(tenant, check_in=full_in, check_out=full_out, guest_email=f"g{n}@example.com",
             guest_phone=f"61100000{n}")

    with pytest.raises(Unavailable):
        reservation_change(tenant=tenant, code=reservation.code, source="api",
                           check_in=full_in - datetime.timedelta(days=1), check_out=full_out)

    reservation.refresh_from_db()
    assert booked(standard) == {**dict.fromkeys(days(reservation.check_in, 2), 1), full_in: 3}


def test_another_room_type_is_priced_with_its_own_rate(tenant, standard):
    RoomTypeFactory(tenant=tenant, code="deluxe", base_rate=Decimal("180.00"), max_guests=3)
    reservation = book(tenant)

    changed = reservation_change(tenant=tenant, code=reservation.code, room_type="deluxe", guests=3,
                                 source="api")

    assert (changed.room_type.code, changed.guests, changed.total) == ("deluxe", 3, Decimal("360.00"))
    assert booked(standard) == {}


def test_a_week_long_stay_gets_the_long_stay_discount(tenant, standard):
    reservation = book(tenant)

    changed = reservation_change(tenant=tenant, code=reservation.code,
                                 check_out=reservation.check_in + datetime.timedelta(days=7), source="api")

    assert (changed.subtotal, changed.discount_rate, changed.total) == (
        Decimal("700.00"), Decimal("0.10"), Decimal("630.00"))


def test_a_change_is_validated_with_the_booking_rules_field_errors(tenant, standard):
    reservation = book(tenant)

    with pytest.raises(ValidationError) as error:
        reservation_change(tenant=tenant, code=reservation.code, check_out=reservation.check_in,
                           guests=5, guest_email="not-an-email", source="api")

    assert set(error.value.message_dict) == {"check_out", "guests", "guest_email"}
    assert error.value.message_dict["check_out"] == ["Check-out must be after check-in."]


def test_contact_changes_leave_the_rooms_and_price_alone(tenant, standard):
    reservation = book(tenant)
    before = booked(standard)

    changed = reservation_change(tenant=tenant, code=reservation.code, guest_name="Ana G. López",
                                 guest_phone="699 111 222", special_requests="Cot, please", source="admin")

    assert (changed.guest_name, changed.guest_phone, changed.special_requests) == (
        "Ana G. López", "+34699111222", "Cot, please")
    assert changed.total == reservation.total
    assert booked(standard) == before


def test_the_change_is_audited_with_before_and_after(tenant, standard):
    reservation = book(tenant)
    new_in, new_out = stay(days_ahead=12, nights=2, tenant=tenant)

    reservation_change(tenant=tenant, code=reservation.code, check_in=new_in, check_out=new_out,
                       guest_name="Ana López", source="admin", actor="user:7", ip_address="203.0.113.9")

    with scopes_disabled():
        event = AuditEvent.objects.get(action="reservation_changed")
    assert event.actor == "user:7"
    assert event.resource == f"reservation:{reservation.code}"
    assert event.details["before"] == {"check_in": str(reservation.check_in),
                                       "check_out": str(reservation.check_out), "guest_name": "Ana García"}
    assert event.details["after"] == {"check_in": str(new_in), "check_out": str(new_out),
                                      "guest_name": "Ana López"}


def test_a_cancelled_reservation_cannot_be_changed(tenant, standard):
    reservation = book(tenant)
    reservation_cancel(tenant=tenant, code=reservation.code, source="api")

    with pytest.raises(NotChangeable):
        reservation_change(tenant=tenant, code=reservation.code, guest_name="Ana", source="api")


def test_another_hotels_code_is_not_found(tenant, other_tenant, standard):
    reservation = book(tenant)

    with pytest.raises(Reservation.DoesNotExist):
        reservation_change(tenant=other_tenant, code=reservation.code, guest_name="X", source="api")


def test_a_new_email_counts_against_that_guests_limit(tenant, standard):
    tenant.max_active_reservations_per_guest = 1
    tenant.save()
    book(tenant, guest_email="bo@example.com", guest_phone="699000111")
    reservation = book(tenant)

    with pytest.raises(LimitReached):
        reservation_change(tenant=tenant, code=reservation.code, guest_email="bo@example.com", source="api")


def test_the_queries_of_a_change_do_not_grow_with_nights(tenant, standard, django_assert_max_num_queries):
    short = book(tenant)
    long = book(tenant, guest_email="bo@example.com", guest_phone="699000111")
    far_in = short.check_in + datetime.timedelta(days=40)

    with django_assert_max_num_queries(25) as two_nights:
        reservation_change(tenant=tenant, code=short.code, check_in=far_in,
                           check_out=far_in + datetime.timedelta(days=2), source="api")
    with django_assert_max_num_queries(len(two_nights.captured_queries)):
        reservation_change(tenant=tenant, code=long.code, check_in=far_in,
                           check_out=far_in + datetime.timedelta(days=30), source="api")


# --- Front desk statuses -----------------------------------------------------------

def arriving_today(tenant):
    today = tenant.local_today()
    return book(tenant, check_in=today, check_out=today + datetime.timedelta(days=2))


def test_a_guest_is_checked_in_then_out(tenant, standard):
    reservation = arriving_today(tenant)

    assert reservation_check_in(tenant=tenant, code=reservation.code, actor="user:1").status == "checked_in"
    assert reservation_check_out(tenant=tenant, code=reservation.code, actor="user:1").status == "checked_out"
    with scopes_disabled():
        assert list(AuditEvent.objects.filter(action__startswith="reservation_checked")
                    .order_by("id").values_list("action", flat=True)) == [
            "reservation_checked_in", "reservation_checked_out"]


def test_check_in_waits_for_the_check_in_day(tenant, standard):
    reservation = book(tenant)

    with pytest.raises(InvalidTransition):
        reservation_check_in(tenant=tenant, code=reservation.code)
    with pytest.raises(InvalidTransition):
        reservation_mark_no_show(tenant=tenant, code=reservation.code)


def test_only_a_checked_in_guest_checks_out(tenant, standard):
    reservation = arriving_today(tenant)

    with pytest.raises(InvalidTransition):
        reservation_check_out(tenant=tenant, code=reservation.code)


def test_a_no_show_is_marked_from_the_check_in_day(tenant, standard):
    reservation = arriving_today(tenant)

    assert reservation_mark_no_show(tenant=tenant, code=reservation.code).status == "no_show"
    with pytest.raises(InvalidTransition):
        reservation_check_in(tenant=tenant, code=reservation.code)


def test_a_no_show_puts_its_room_back_on_sale(tenant):
    one_room = RoomTypeFactory(tenant=tenant, code="single", room_count=1)
    today = tenant.local_today()
    reservation = book(tenant, room_type="single", check_in=today,
                       check_out=today + datetime.timedelta(days=2))
    with pytest.raises(Unavailable):
        book(tenant, room_type="single", check_in=today, check_out=today + datetime.timedelta(days=1),
             guest_email="walk-in@example.com")

    reservation_mark_no_show(tenant=tenant, code=reservation.code, actor="user:1")

    assert booked(one_room) == {}
    walk_in = book(tenant, room_type="single", check_in=today, check_out=today + datetime.timedelta(days=2),
                   guest_email="walk-in@example.com")
    assert walk_in.status == "confirmed"
    assert booked(one_room) == dict.fromkeys(days(today, 2), 1)
    with scopes_disabled():
        event = AuditEvent.objects.get(action="reservation_no_show")
    assert event.details["rooms_released_from"] == str(today)


def test_a_no_show_marked_late_keeps_the_nights_already_past(tenant):
    one_room = RoomTypeFactory(tenant=tenant, code="single", room_count=1)
    today = tenant.local_today()
    yesterday = today - datetime.timedelta(days=1)
    reservation = book(tenant, room_type="single", check_in=today,
                       check_out=today + datetime.timedelta(days=2))
    with scopes_disabled():  # as it stands had it been booked to start yesterday
        Reservation.objects.filter(pk=reservation.pk).update(check_in=yesterday, nights=3)
        NightlyInventory.objects.update_or_create(
            room_type=one_room, date=yesterday, defaults={"rooms_total": 1, "rooms_booked": 1})

    reservation_mark_no_show(tenant=tenant, code=reservation.code)

    assert booked(one_room) == {yesterday: 1}


def test_a_no_show_marked_after_the_stay_releases_nothing(tenant, standard):
    reservation = arriving_today(tenant)
    with scopes_disabled():
        before = booked(standard)
        Reservation.objects.filter(pk=reservation.pk).update(
            check_in=reservation.check_in - datetime.timedelta(days=5),
            check_out=reservation.check_out - datetime.timedelta(days=5))

    reservation_mark_no_show(tenant=tenant, code=reservation.code)

    assert booked(standard) == before
    with scopes_disabled():
        assert "rooms_released_from" not in AuditEvent.objects.get(action="reservation_no_show").details


def test_a_checked_in_guest_still_counts_as_an_active_stay(tenant, standard):
    tenant.max_active_reservations_per_guest = 1
    tenant.save()
    reservation_check_in(tenant=tenant, code=arriving_today(tenant).code)

    with pytest.raises(LimitReached):
        book(tenant)


def test_a_checked_in_stay_cannot_be_cancelled_or_changed(tenant, standard):
    reservation = arriving_today(tenant)
    reservation_check_in(tenant=tenant, code=reservation.code)

    with pytest.raises(NotChangeable):
        reservation_cancel(tenant=tenant, code=reservation.code, source="admin")
    with pytest.raises(NotChangeable):
        reservation_change(tenant=tenant, code=reservation.code, guest_name="Ana", source="admin")


# --- Real concurrency ---------------------------------------------------------------

@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_two_changes_racing_for_the_last_room_one_wins(tenant):
    last_room = RoomTypeFactory(tenant=tenant, code="single", room_count=1)
    wanted_in, wanted_out = stay(days_ahead=30, nights=3, tenant=tenant)
    first = book(tenant, room_type="single")
    second = book(tenant, room_type="single", check_in=first.check_out,
                  check_out=first.check_out + datetime.timedelta(days=2),
                  guest_email="bo@example.com", guest_phone="699000111")
    connection.close()

    outcomes = run_together([
        lambda code=r.code: reservation_change(tenant=tenant, code=code, check_in=wanted_in,
                                               check_out=wanted_out, source="api")
        for r in (first, second)
    ])

    assert sorted(type(o).__name__ for o in outcomes) == ["Reservation", "Unavailable"]
    winner = next(o for o in outcomes if isinstance(o, Reservation))
    loser = second if winner.code == first.code else first
    assert booked(last_room) == {
        **dict.fromkeys(days(wanted_in, 3), 1), **dict.fromkeys(days(loser.check_in, loser.nights), 1)}


def test_contact_details_of_an_arrival_not_yet_checked_in_can_still_be_corrected(tenant, standard):
    reservation = arriving_today(tenant)
    with scopes_disabled():
        Reservation.objects.filter(pk=reservation.pk).update(
            check_in=reservation.check_in - datetime.timedelta(days=1))

    changed = reservation_change(tenant=tenant, code=reservation.code, guest_name="Ana López", source="admin")

    assert changed.guest_name == "Ana López"
