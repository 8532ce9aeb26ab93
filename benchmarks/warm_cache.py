"""What warming the cache costs: seconds, cache round trips and database queries
for many hotels (200 hotels × 3 room types × 30 arrival days by default).

    .venv/bin/python benchmarks/warm_cache.py [--hotels N] [--room-types N] [--days N]

It makes its own database (Django's test database beside DATABASE_URL's, e.g.
`test_hotelagent`, dropped at the end; in memory on SQLite) and uses REDIS_URL's
Redis under a key prefix of its own, whose keys it deletes afterwards. Two runs
are timed: the first writes every generation too, the second is the steady state
of the 30-minute task. Round trips are counted where redis-py sends them.
"""
import argparse
import datetime
import os
import secrets
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotelagent.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402 - settings must be chosen before Django loads

django.setup()

from django.conf import settings  # noqa: E402

settings.CACHES["default"]["KEY_PREFIX"] = f"bench-{secrets.token_hex(4)}"  # before the cache is first used

import redis.client  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from reservations.cache_warming import warm  # noqa: E402
from reservations.models import NightlyInventory, RoomType  # noqa: E402
from tenants.models import Tenant  # noqa: E402


class RedisRoundTrips:
    """Commands and pipelines redis-py sends, counted without changing what it sends."""

    def __init__(self):
        self.count = 0
        for cls, name in ((redis.client.Redis, "execute_command"), (redis.client.Pipeline, "execute")):
            setattr(cls, name, self._counting(getattr(cls, name)))

    def _counting(self, original):
        def send(*args, **kwargs):
            self.count += 1
            return original(*args, **kwargs)
        return send


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hotels", type=int, default=200)
    parser.add_argument("--room-types", type=int, default=3)
    parser.add_argument("--days", type=int, default=30, help="arrival days warmed (default 30)")
    return parser.parse_args()


def create_hotels(hotels: int, room_types: int, days: int) -> None:
    Tenant.objects.filter(slug="default").update(is_active=False)  # only the benchmark's hotels
    made = Tenant.objects.bulk_create(
        Tenant(slug=f"bench-{n:04d}", name=f"Bench {n}", timezone="Europe/Madrid", country="ES",
               currency="EUR", language="es") for n in range(hotels)
    )
    kinds = RoomType.objects.bulk_create(
        RoomType(tenant=hotel, code=f"type-{k}", name=f"Type {k}", max_guests=2 + k,
                 base_rate=Decimal(90 + 50 * k), room_count=20)
        for hotel in made for k in range(room_types)
    )
    today = datetime.date.today() - datetime.timedelta(days=1)  # every time zone's today is covered
    NightlyInventory.objects.bulk_create(
        (NightlyInventory(room_type=kind, date=today + datetime.timedelta(days=d), rooms_total=20)
         for kind in kinds for d in range(days + 3)),
        batch_size=2000,
    )


def timed_warm(round_trips: RedisRoundTrips, days: int, label: str) -> None:
    round_trips.count = 0
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        report = warm(days=days)
        seconds = time.perf_counter() - started
    if report.failures:
        print(f"  failed: {report.failures}", file=sys.stderr)
    redis_trips = round_trips.count if settings.REDIS_URL else report.round_trips
    print(f"{label:<32} {seconds:6.2f} s  {report.hotels} hotels  {report.keys:7d} keys written  "
          f"{redis_trips:5d} cache round trips ({redis_trips / max(report.hotels, 1):.1f} per hotel)  "
          f"{len(queries):4d} database queries")


def main() -> None:
    args = parse_args()
    backend = "Redis" if settings.REDIS_URL else "local memory (set REDIS_URL for real round trips)"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        create_hotels(args.hotels, args.room_types, args.days)
        print(f"{args.hotels} hotels × {args.room_types} room types × {args.days} arrival days "
              f"(one- and two-night stays), {connection.vendor}, cache: {backend}")
        round_trips = RedisRoundTrips()
        timed_warm(round_trips, args.days, "first warming (new generations)")
        timed_warm(round_trips, args.days, "second warming (steady state)")
    finally:
        if settings.REDIS_URL:
            cache.delete_pattern("*")  # this run's prefix only
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
