import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory, RoomType
from reservations.services import inventory_sync
from reservations.tasks import extend_inventory
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def new_room_type(tenant, room_count=3) -> RoomType:
    """A room type with no nights open yet."""
    return RoomType.objects.create(
        tenant=tenant, code="standard", name="Standard", max_guests=2,
        base_rate=Decimal("100.00"), room_count=room_count,
    )


def nights_of(room_type) -> list[NightlyInventory]:
    with scopes_disabled():
        return list(NightlyInventory.objects.filter(room_type=room_type).order_by("date"))


def test_sync_opens_nights_from_the_hotels_today():
    # 22:00 UTC on 1 March is already 2 March in Kiritimati.
    instant = datetime.datetime(2025, 3, 1, 22, 0, tzinfo=datetime.UTC)
    room_type = new_room_type(TenantFactory(timezone="Pacific/Kiritimati"))

    with mock.patch("django.utils.timezone.now", return_value=instant):
        opened = inventory_sync(room_type=room_type, days=30)

    nights = nights_of(room_type)
    assert opened == 30
    assert nights[0].date == datetime.date(2025, 3, 2)
    assert nights[-1].date == datetime.date(2025, 3, 31)
    assert {(night.rooms_total, night.rooms_booked) for night in nights} == {(3, 0)}


def test_syncing_twice_opens_nothing_new(tenant):
    room_type = new_room_type(tenant)
    inventory_sync(room_type=room_type, days=30)

    assert inventory_sync(room_type=room_type, days=30) == 0
    assert len(nights_of(room_type)) == 30


def test_longer_horizon_opens_only_the_missing_nights(tenant):
    room_type = new_room_type(tenant)
    inventory_sync(room_type=room_type, days=30)

    assert inventory_sync(room_type=room_type, days=45) == 15


def test_more_rooms_are_offered_on_every_future_night(tenant):
    room_type = new_room_type(tenant, room_count=3)
    inventory_sync(room_type=room_type, days=10)

    room_type.room_count = 5
    room_type.save()
    inventory_sync(room_type=room_type, days=10, previous_room_count=3)

    assert {night.rooms_total for night in nights_of(room_type)} == {5}


def test_fewer_rooms_never_drop_a_night_below_what_is_booked(tenant):
    room_type = new_room_type(tenant, room_count=3)
    inventory_sync(room_type=room_type, days=10)
    busy_night = tenant.local_today() + 2 * DAY
    with scopes_disabled():
        NightlyInventory.objects.filter(room_type=room_type, date=busy_night).update(rooms_booked=3)

    room_type.room_count = 1
    room_type.save()
    inventory_sync(room_type=room_type, days=10, previous_room_count=3)

    totals = {night.date: night.rooms_total for night in nights_of(room_type)}
    assert totals.pop(busy_night) == 3
    assert set(totals.values()) == {1}


def test_past_nights_are_left_alone(tenant):
    room_type = new_room_type(tenant, room_count=3)
    yesterday = tenant.local_today() - DAY
    NightlyInventory.objects.create(room_type=room_type, date=yesterday, rooms_total=3, rooms_booked=2)

    room_type.room_count = 5
    room_type.save()
    inventory_sync(room_type=room_type, days=5, previous_room_count=3)

    assert nights_of(room_type)[0].rooms_total == 3


def test_a_night_staff_closed_by_hand_survives_the_daily_sync_and_a_resize(tenant):
    room_type = new_room_type(tenant, room_count=3)
    inventory_sync(room_type=room_type, days=10)
    repairs = tenant.local_today() + 4 * DAY
    with scopes_disabled():
        NightlyInventory.objects.filter(room_type=room_type, date=repairs).update(rooms_total=2)

    inventory_sync(room_type=room_type, days=20)
    room_type.room_count = 4
    room_type.save()
    inventory_sync(room_type=room_type, days=20, previous_room_count=3)

    totals = {night.date: night.rooms_total for night in nights_of(room_type)}
    assert totals.pop(repairs) == 2
    assert set(totals.values()) == {4}


def test_daily_task_opens_nights_for_every_hotel(tenant, other_tenant):
    mine, theirs = new_room_type(tenant), new_room_type(other_tenant)

    result = extend_inventory.apply(kwargs={"days": 10})

    assert result.get() == 20
    assert len(nights_of(mine)) == len(nights_of(theirs)) == 10


def test_database_refuses_more_bookings_than_rooms(tenant):
    room_type = new_room_type(tenant, room_count=1)
    inventory_sync(room_type=room_type, days=1)

    with pytest.raises(IntegrityError), transaction.atomic(), scopes_disabled():
        NightlyInventory.objects.filter(room_type=room_type).update(rooms_booked=F("rooms_total") + 1)
