"""A reservation code is drawn at random; on the rare draw that another
reservation (any hotel's) already holds, the booking draws again instead of
failing, and after five such draws it fails whole, keeping no nights. The draws
are forced here by replacing the code field's default: the only way to make a
six-letter random collision happen on purpose."""
import itertools

import pytest
from django.db import IntegrityError
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory, Reservation
from reservations.services import reservation_create
from tests.factories import RoomTypeFactory, TenantFactory, stay

pytestmark = pytest.mark.django_db


def book(tenant, room_type, email, phone):
    check_in, check_out = stay(tenant=tenant)
    return reservation_create(
        tenant=tenant, room_type=room_type.code, check_in=check_in, check_out=check_out, guests=1,
        guest_name="Ana García", guest_email=email, guest_phone=phone, source="api",
    )


@pytest.fixture
def draws(monkeypatch):
    """Make the next codes drawn exactly `codes`, then fresh ones."""
    field = Reservation._meta.get_field("code")

    def use(*codes):
        fresh = (f"HA-T{n:05d}" for n in itertools.count())
        sequence = itertools.chain(codes, fresh)
        # Field.get_default() calls the cached `_get_default`, not `default`.
        monkeypatch.setitem(field.__dict__, "_get_default", lambda: next(sequence))

    return use


def booked_nights(room_type):
    with scopes_disabled():
        nights = NightlyInventory.objects.filter(room_type=room_type)
        return sum(nights.values_list("rooms_booked", flat=True))


def test_a_code_another_hotel_holds_is_drawn_again(tenant, draws, caplog):
    other = TenantFactory()
    taken = book(other, RoomTypeFactory(tenant=other), "luis@example.com", "+34612000001")
    room_type = RoomTypeFactory(tenant=tenant)
    draws(taken.code, taken.code)

    reservation = book(tenant, room_type, "ana@example.com", "+34612000002")

    assert reservation.pk and reservation.code == "HA-T00000"
    with scopes_disabled():
        stored = Reservation.objects.get(pk=reservation.pk)
        assert Reservation.objects.get(code=taken.code).tenant == other  # untouched
    assert (stored.code, stored.tenant, stored.guest_email) == ("HA-T00000", tenant, "ana@example.com")
    assert stored.created_at is not None
    assert [r.getMessage() for r in caplog.records if "collision" in r.getMessage()] == [
        "reservation code collision, attempt 1", "reservation code collision, attempt 2",
    ]


def test_five_collisions_fail_the_booking_and_keep_no_nights(tenant, draws):
    taken = book(tenant, RoomTypeFactory(tenant=tenant), "luis@example.com", "+34612000001")
    room_type = RoomTypeFactory(tenant=tenant)
    draws(*[taken.code] * 5)

    with pytest.raises(IntegrityError):
        book(tenant, room_type, "ana@example.com", "+34612000002")

    with scopes_disabled():
        assert Reservation.objects.filter(room_type=room_type).count() == 0
    assert booked_nights(room_type) == 0
