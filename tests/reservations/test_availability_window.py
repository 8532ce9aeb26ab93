"""The availability window is read with a statement written out once instead of
built through the ORM each time (reservations/pms/database.py): it must return
exactly what the ORM's scoped query returns, on SQLite and PostgreSQL alike."""
import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory
from reservations.pms.base import NightOffer
from reservations.pms.database import DatabasePMSAdapter
from tests.factories import RoomTypeFactory, TenantFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def orm_window(tenant, room_types, check_in, check_out) -> list[tuple]:
    return list(
        NightlyInventory.objects.with_scope(tenant=tenant)
        .filter(room_type_id__in=[rt.pk for rt in room_types], date__gte=check_in, date__lt=check_out)
        .order_by("room_type_id", "date")
        .values_list("room_type_id", "date", "rooms_total", "rooms_booked", "rate_override", "closed")
    )


@pytest.fixture
def hotel():
    tenant = TenantFactory()
    standard = RoomTypeFactory(tenant=tenant, base_rate=Decimal("80.00"), room_count=4, inventory_days=20)
    suite = RoomTypeFactory(tenant=tenant, base_rate=Decimal("150.50"), room_count=2, inventory_days=20)
    check_in = tenant.local_today() + 3 * DAY
    with scopes_disabled():
        NightlyInventory.objects.filter(room_type=standard, date=check_in).update(
            rate_override=Decimal("99.99"), rooms_booked=3)
        NightlyInventory.objects.filter(room_type=suite, date=check_in + DAY).update(closed=True)
        NightlyInventory.objects.filter(room_type=suite, date=check_in + 2 * DAY).update(
            rate_override=Decimal("0.10"))
    return tenant, [standard, suite], check_in


def test_the_window_is_what_the_orm_query_returns_with_overrides_and_closed_nights(hotel):
    tenant, room_types, check_in = hotel
    check_out = check_in + 4 * DAY

    offers = DatabasePMSAdapter().check_availability(
        tenant=tenant, room_types=room_types, check_in=check_in, check_out=check_out)

    standard, suite = room_types
    expected = {standard.pk: [], suite.pk: []}
    rows = orm_window(tenant, room_types, check_in, check_out)
    for room_type_id, date, total, booked, override, closed in rows:
        base = standard.base_rate if room_type_id == standard.pk else suite.base_rate
        expected[room_type_id].append(
            NightOffer(date, 0 if closed else total - booked, override if override is not None else base))
    assert offers == expected
    assert offers[standard.pk][0] == NightOffer(check_in, 1, Decimal("99.99"))
    assert offers[suite.pk][1] == NightOffer(check_in + DAY, 0, Decimal("150.50"))
    assert offers[suite.pk][2].rate == Decimal("0.10")
    assert [len(offers[standard.pk]), len(offers[suite.pk])] == [4, 4]


def test_types_match_the_orms_so_prices_print_the_same(hotel):
    tenant, room_types, check_in = hotel

    offers = DatabasePMSAdapter().check_availability(
        tenant=tenant, room_types=room_types, check_in=check_in, check_out=check_in + 3 * DAY)

    nights = [night for offers_of_type in offers.values() for night in offers_of_type]
    assert {type(night.date) for night in nights} == {datetime.date}
    assert {type(night.rate) for night in nights} == {Decimal}
    assert {str(night.rate) for night in nights} <= {"80.00", "99.99", "150.50", "0.10"}


def test_another_hotels_room_types_read_nothing(hotel):
    tenant, room_types, check_in = hotel
    other = TenantFactory()

    offers = DatabasePMSAdapter().check_availability(
        tenant=other, room_types=room_types, check_in=check_in, check_out=check_in + 2 * DAY)

    assert offers == {room_types[0].pk: [], room_types[1].pk: []}


def test_no_room_types_ask_nothing(hotel, django_assert_num_queries):
    tenant, _, check_in = hotel

    with django_assert_num_queries(0):
        offers = DatabasePMSAdapter().check_availability(
            tenant=tenant, room_types=[], check_in=check_in, check_out=check_in + DAY)

    assert offers == {}


def test_one_statement_for_one_or_two_room_types(hotel, django_assert_num_queries):
    tenant, room_types, check_in = hotel
    for chosen in (room_types[:1], room_types):
        with django_assert_num_queries(1):
            DatabasePMSAdapter().check_availability(
                tenant=tenant, room_types=chosen, check_in=check_in, check_out=check_in + 30 * DAY)
