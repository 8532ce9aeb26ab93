"""hotelagent_occupancy_ratio{tenant,room_type,window}: rooms booked over rooms
open, tonight and over the next 7 and 30 nights from each hotel's own today;
one query per scrape for every hotel, shared for 60 seconds."""
import datetime

import pytest
from django.core.cache import cache
from django_scopes import scopes_disabled

from reservations.metrics import OCCUPANCY_CACHE_KEY, occupancy_ratio
from reservations.models import NightlyInventory
from tests.factories import RoomTypeFactory, TenantFactory

from .conftest import scrape, value

pytestmark = pytest.mark.django_db


def book(room_type, days_from_today: int, rooms: int) -> None:
    night = room_type.tenant.local_today() + datetime.timedelta(days=days_from_today)
    with scopes_disabled():
        assert NightlyInventory.objects.filter(room_type=room_type, date=night).update(rooms_booked=rooms)


def ratio(page, tenant, room_type, window):
    labels = {"tenant": tenant.slug, "room_type": room_type.code, "window": window}
    return value(page, "hotelagent_occupancy_ratio", **labels)


def test_occupancy_of_a_hotel_with_known_inventory(client, tenant):
    standard = RoomTypeFactory(tenant=tenant, code="standard", room_count=4)
    book(standard, 0, 2)
    book(standard, 3, 4)
    book(standard, 20, 1)
    book(standard, 30, 4)  # the 31st night: in no window

    page = scrape(client)

    assert ratio(page, tenant, standard, "tonight") == 2 / 4
    assert ratio(page, tenant, standard, "next_7_nights") == (2 + 4) / (4 * 7)
    assert ratio(page, tenant, standard, "next_30_nights") == (2 + 4 + 1) / (4 * 30)


def test_tonight_is_each_hotels_own_night(client):
    """Kiritimati (UTC+14) and Pago Pago (UTC-11) are never on the same date."""
    east = RoomTypeFactory(tenant=TenantFactory(slug="east", timezone="Pacific/Kiritimati"), room_count=2)
    west = RoomTypeFactory(tenant=TenantFactory(slug="west", timezone="Pacific/Pago_Pago"), room_count=2)
    book(east, 0, 2)
    book(west, 0, 1)

    page = scrape(client)

    assert ratio(page, east.tenant, east, "tonight") == 1.0
    assert ratio(page, west.tenant, west, "tonight") == 0.5


def test_a_room_type_without_open_nights_has_no_ratio(client, tenant):
    closed = RoomTypeFactory(tenant=tenant, code="closed", inventory_days=1)
    with scopes_disabled():
        NightlyInventory.objects.filter(room_type=closed).delete()

    assert ratio(scrape(client), tenant, closed, "tonight") is None


def test_one_query_per_scrape_for_three_hotels_then_none_for_a_minute(django_assert_num_queries):
    for slug in ("one", "two", "three"):
        hotel = TenantFactory(slug=slug)
        RoomTypeFactory(tenant=hotel, code="standard")
        RoomTypeFactory(tenant=hotel, code="suite")

    with django_assert_num_queries(1):
        first = list(occupancy_ratio.collect())[0].samples
    with django_assert_num_queries(0):
        again = list(occupancy_ratio.collect())[0].samples

    assert len(first) == 3 * 2 * 3  # hotels × room types × windows
    assert again == first


def test_the_figure_is_kept_a_minute(client, tenant):
    standard = RoomTypeFactory(tenant=tenant, code="standard", room_count=4)
    assert ratio(scrape(client), tenant, standard, "tonight") == 0
    book(standard, 0, 4)

    assert ratio(scrape(client), tenant, standard, "tonight") == 0  # the cached figure
    cache.delete(OCCUPANCY_CACHE_KEY)  # the minute is over
    assert ratio(scrape(client), tenant, standard, "tonight") == 1.0


def test_inactive_hotels_are_left_out(client, tenant):
    standard = RoomTypeFactory(tenant=tenant, code="standard")
    tenant.is_active = False
    tenant.save()

    assert ratio(scrape(client), tenant, standard, "tonight") is None
