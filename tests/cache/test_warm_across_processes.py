"""The warm copy lives in Redis, shared by every web and worker process: a hotel
warmed by one process and booked out by another is never offered by a third."""
import os
import subprocess
import sys
import textwrap
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import RoomTypeFactory, stay

from .helpers import CacheReads, available, search

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql" or not settings.REDIS_URL,
                       reason="needs PostgreSQL and Redis shared with a second process"),
    pytest.mark.django_db(transaction=True),
]

BOOK_THE_LAST_ROOM = textwrap.dedent("""
    import datetime, sys
    import django
    django.setup()
    from reservations.services import reservation_create
    from tenants.models import Tenant
    hotel = Tenant.objects.get(slug=sys.argv[1])
    check_in, check_out = (datetime.date.fromisoformat(day) for day in sys.argv[2:4])
    booked = reservation_create(
        tenant=hotel, room_type="suite", check_in=check_in, check_out=check_out, guests=2,
        guest_name="Luis Pérez", guest_email="luis@example.com", guest_phone="+34699111222", source="api",
    )
    print(booked.code)
""")


def database_url() -> str:
    """The test database (not DATABASE_URL's), which this test's rows are committed to."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def second_process(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": settings.REDIS_URL,
           "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"], "LOG_LEVEL": "WARNING"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and scripts
        [sys.executable, *args], capture_output=True, text=True, timeout=120, cwd=settings.BASE_DIR, env=env,
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def suite(tenant):
    return RoomTypeFactory(tenant=tenant, code="suite", name="Suite", max_guests=4,
                           base_rate=Decimal("250.00"), room_count=1)


def test_warmed_by_one_process_booked_by_another_the_next_answer_here_is_zero(api, tenant, suite):
    warmed = second_process("manage.py", "warm_cache", "--tenant", tenant.slug)
    assert "Warmed 1 of 1 hotel:" in warmed.stdout
    reads = CacheReads()
    assert available(search(api, tenant, nights=2)) == {"suite": 1}
    assert reads("availability", "hit") == 1  # answered by the copy the other process wrote

    check_in, check_out = stay(10, 2, tenant=tenant)
    second_process("-c", BOOK_THE_LAST_ROOM, tenant.slug, check_in.isoformat(), check_out.isoformat())

    assert available(search(api, tenant, nights=2)) == {"suite": 0}
    assert available(search(api, tenant, days_ahead=11, nights=1)) == {"suite": 0}
    assert available(search(api, tenant, days_ahead=12, nights=1)) == {"suite": 1}
