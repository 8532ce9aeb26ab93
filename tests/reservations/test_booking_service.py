from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from reservations.errors import GuestNotAllowed, LimitReached, Unavailable
from reservations.models import NightlyInventory, Reservation
from reservations.services import reservation_cancel, reservation_create
from security.models import AuditEvent
from tests.factories import BlacklistEntryFactory, stay

pytestmark = pytest.mark.django_db


def book(tenant, **overrides):
    check_in, check_out = stay(tenant=tenant)
    fields = dict(
        room_type="standard", check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone="612345678",
        source="api",
    )
    fields.update(overrides)
    return reservation_create(tenant=tenant, **fields)


def booked_nights(room_type):
    with scopes_disabled():
        return list(
            NightlyInventory.objects.filter(room_type=room_type, rooms_booked__gt=0)
            .values_list("rooms_booked", flat=True)
        )


def test_booking_takes_one_room_each_night_and_prices_the_stay(tenant, standard):
    reservation = book(tenant)

    assert reservation.code.startswith("HA-")
    assert reservation.guest_phone == "+34612345678"
    assert reservation.nightly_rates == ["100.00", "100.00"]
    assert reservation.total == Decimal("200.00")
    assert booked_nights(standard) == [1, 1]


def test_cancelling_gives_rooms_back_and_twice_is_harmless(tenant, standard):
    reservation = book(tenant)

    reservation_cancel(tenant=tenant, code=reservation.code, source="api")
    again = reservation_cancel(tenant=tenant, code=reservation.code, source="api")

    assert again.status == Reservation.Status.CANCELLED
    assert booked_nights(standard) == []


def test_last_room_cannot_be_booked_twice(tenant, standard):
    for n in range(3):
        book(tenant, guest_email=f"g{n}@example.com", guest_phone=f"61234567{n}")

    with pytest.raises(Unavailable):
        book(tenant, guest_email="late@example.com", guest_phone="699999999")


def test_blacklisted_guest_is_refused_and_audited(tenant, standard):
    BlacklistEntryFactory(tenant=tenant, email="ana@example.com")

    with pytest.raises(GuestNotAllowed):
        book(tenant)

    with scopes_disabled():
        assert AuditEvent.objects.filter(action="reservation_refused").count() == 1
        assert not Reservation.objects.exists()


def test_guest_over_active_limit_is_refused(tenant, standard):
    tenant.max_active_reservations_per_guest = 1
    tenant.save()
    book(tenant)

    with pytest.raises(LimitReached):
        book(tenant)


def test_field_errors_name_the_field(tenant, standard):
    with pytest.raises(ValidationError) as error:
        book(tenant, guest_email="not-an-email", guests=3)

    assert set(error.value.message_dict) == {"guest_email", "guests"}
