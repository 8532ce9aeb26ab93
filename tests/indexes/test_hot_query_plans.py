"""The hot queries use the indexes meant for them, on a database the size of a busy
chain: 50,000 reservations over five hotels (two years of stays, a fifth of them
cancelled) and two years of nights for each room type, with fresh statistics.

Each plan is the database's EXPLAIN of the very query the product runs: the
selector's queryset, or the statement a service executes (captured as it runs,
since those build their querysets inside)."""
import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from reservations.models import NightlyInventory, Reservation, RoomType
from reservations.pms.database import DatabasePMSAdapter
from reservations.selectors import reservations_for
from reservations.services.booking import active_reservation_count
from tenants.models import Tenant
from tests.factories import RoomTypeFactory, TenantFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

HOTELS = 5
GUESTS_PER_HOTEL = 2_500
STAYS_PER_GUEST = 4  # 5 × 2,500 × 4 = 50,000 reservations
DAYS = 730


def email(hotel: int, guest: int) -> str:
    return f"guest{guest}@hotel{hotel}.example"


def phone(hotel: int, guest: int) -> str:
    return f"+3461{hotel}{guest:06d}"


def reservations(tenant, hotel: int, room_types: list[RoomType], today: datetime.date):
    numbers = itertools.count(hotel * GUESTS_PER_HOTEL * STAYS_PER_GUEST)
    for guest in range(GUESTS_PER_HOTEL):
        for stay in range(STAYS_PER_GUEST):
            number = next(numbers)
            check_in = today + datetime.timedelta(days=number * 37 % DAYS - DAYS // 2)
            nights = 1 + number % 7
            yield Reservation(
                tenant=tenant, code=f"HA-T{number:07d}", room_type=room_types[stay % len(room_types)],
                guest_name=f"Guest {guest}", guest_email=email(hotel, guest), guest_phone=phone(hotel, guest),
                guests=2, check_in=check_in, check_out=check_in + datetime.timedelta(days=nights),
                nights=nights, nightly_rates=["100.00"] * nights, subtotal=Decimal(100 * nights),
                total=Decimal(100 * nights), currency="EUR", source=Reservation.Source.API,
                status=Reservation.Status.CANCELLED if number % 5 == 0 else Reservation.Status.CONFIRMED,
            )


@pytest.fixture(scope="module")
def busy_chain(django_db_setup, django_db_blocker):
    """Five hotels' data, created once for the module and committed, so that VACUUM
    can mark it all-visible as autovacuum does in production: index-only scans,
    what inventory_availability is for, are only planned on such pages."""
    hotels = []
    with django_db_blocker.unblock():
        try:
            hotels.extend(generate_hotel(hotel) for hotel in range(HOTELS))
            with connection.cursor() as cursor:
                for model in (Reservation, NightlyInventory, RoomType):
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"{VACUUM[connection.vendor]} {table}")
            yield hotels
        finally:  # committed rows outlive the module's tests: remove them
            tenants = [tenant for tenant, _ in hotels]
            with connection.cursor() as cursor:  # one statement, not the 50,000-row collector
                table = connection.ops.quote_name(Reservation._meta.db_table)
                placeholders = ", ".join(["%s"] * len(tenants))
                cursor.execute(
                    f"DELETE FROM {table} WHERE tenant_id IN ({placeholders})",  # noqa: S608 (no input)
                    [tenant.pk for tenant in tenants],
                )
            RoomType.objects.with_scopes_disabled().filter(tenant__in=tenants).delete()
            for tenant in tenants:
                tenant.delete()


VACUUM = {"postgresql": "VACUUM ANALYZE", "sqlite": "ANALYZE"}  # SQLite's VACUUM takes no table


def generate_hotel(hotel: int) -> tuple[Tenant, list[RoomType]]:
    with transaction.atomic():
        tenant = TenantFactory()
        room_types = [RoomTypeFactory(tenant=tenant, inventory_days=DAYS) for _ in range(3)]
        Reservation.objects.with_scopes_disabled().bulk_create(
            reservations(tenant, hotel, room_types, tenant.local_today()), batch_size=5_000
        )
    return tenant, room_types


@pytest.fixture
def hotel(busy_chain):
    return busy_chain[2]


def plan_of_statement_run_by(call) -> str:
    """EXPLAIN of the one SELECT `call` executes."""
    with CaptureQueriesContext(connection) as captured:
        call()
    (sql,) = [query["sql"] for query in captured.captured_queries if query["sql"].startswith("SELECT")]
    with connection.cursor() as cursor:
        cursor.execute(f"{connection.ops.explain_query_prefix()} {sql}")
        return "\n".join(" ".join(map(str, row)) for row in cursor.fetchall())


def test_there_are_fifty_thousand_reservations(busy_chain):
    assert Reservation.objects.with_scopes_disabled().count() == 50_000


def test_a_guests_active_reservations_are_counted_from_the_email_and_phone_indexes(hotel):
    tenant, _ = hotel

    plan = plan_of_statement_run_by(lambda: active_reservation_count(
        tenant=tenant, email=email(2, 1234), phone=phone(2, 1234)
    ))

    assert "reservation_guest_email" in plan
    assert "reservation_guest_phone" in plan


def test_a_hotels_reservations_by_arrival_dates_use_the_dates_index(hotel):
    tenant, _ = hotel
    today = tenant.local_today()

    plan = reservations_for(
        tenant=tenant, check_in_from=today, check_in_to=today + datetime.timedelta(days=7)
    ).explain()

    assert "reservation_dates" in plan


def test_a_hotels_confirmed_reservations_page_reads_the_confirmed_index_in_order(hotel):
    tenant, _ = hotel

    plan = reservations_for(tenant=tenant, status=Reservation.Status.CONFIRMED)[:50].explain()

    assert "reservation_confirmed" in plan


def test_the_availability_window_of_a_room_type_is_read_from_the_availability_index(hotel):
    tenant, room_types = hotel
    check_in = tenant.local_today() + datetime.timedelta(days=30)

    plan = plan_of_statement_run_by(lambda: DatabasePMSAdapter().get_rates(
        tenant=tenant, room_type=room_types[0], check_in=check_in,
        check_out=check_in + datetime.timedelta(days=7),
    ))

    assert "inventory_availability" in plan


def test_the_availability_window_of_every_room_type_is_read_from_the_availability_index(hotel):
    tenant, room_types = hotel
    check_in = tenant.local_today() + datetime.timedelta(days=30)

    plan = plan_of_statement_run_by(lambda: DatabasePMSAdapter().check_availability(
        tenant=tenant, room_types=room_types, check_in=check_in,
        check_out=check_in + datetime.timedelta(days=14),
    ))

    assert "inventory_availability" in plan
