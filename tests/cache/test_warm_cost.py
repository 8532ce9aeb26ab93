"""Warming costs grow with the hotels only: one inventory read per hotel for the
whole window, and a few pipelined cache round trips per hotel, whatever the
number of nights or room types."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reservations.cache_warming import warm
from tenants.models import Tenant
from tests.factories import RoomTypeFactory, TenantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def only_our_hotels(db):
    """The Default hotel (migration tenants/0002) stays out of the counts."""
    Tenant.objects.filter(slug="default").update(is_active=False)


def hotels(count: int, *, room_types: int = 3) -> list[Tenant]:
    made = TenantFactory.create_batch(count)
    for hotel in made:
        RoomTypeFactory.create_batch(room_types, tenant=hotel, inventory_days=40)
    return made


def queries_to_warm(**options) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        report = warm(**options)
    assert not report.failures
    return len(queries)


def round_trips_to_warm(**options) -> int:
    cache.clear()
    report = warm(**options)
    assert not report.failures
    return report.round_trips


def test_each_more_hotel_costs_one_database_query():
    hotels(1)
    one = queries_to_warm()
    hotels(1)
    per_hotel = queries_to_warm() - one
    hotels(18)

    assert per_hotel == 1
    assert queries_to_warm() == one + 19 * per_hotel


def test_nights_and_room_types_cost_no_more_queries():
    [small_hotel] = hotels(1, room_types=1)
    small = queries_to_warm(days=7)
    hotels(1, room_types=5)
    Tenant.objects.filter(pk=small_hotel.pk).update(is_active=False)

    assert queries_to_warm(days=30) == small


def test_each_more_hotel_costs_the_same_few_cache_round_trips():
    hotels(1)
    one = round_trips_to_warm()
    hotels(1)
    per_hotel = round_trips_to_warm() - one
    hotels(18)

    assert per_hotel <= 4  # its nights' generations (read, create), the values (one set_many per TTL)
    assert round_trips_to_warm() == one + 19 * per_hotel


def test_nights_and_room_types_cost_no_more_round_trips():
    [small_hotel] = hotels(1, room_types=1)
    small = round_trips_to_warm(days=7)
    hotels(1, room_types=5)
    Tenant.objects.filter(pk=small_hotel.pk).update(is_active=False)

    assert round_trips_to_warm(days=30) == small


def test_redis_sees_the_round_trips_the_report_counts(redis_round_trips):
    hotels(20)
    cache.clear()
    redis_round_trips["count"] = 0

    report = warm()

    assert redis_round_trips["count"] == report.round_trips
    assert report.round_trips <= 2 + 4 * 20
    assert report.keys > 20 * 3 * 30 * 2  # every hotel, room type, arrival day and stay length
