"""Latency and throughput of the two calls guests' agents make most: availability
and booking, through the full URL stack (middleware, API-key auth, serializers,
services, database) with Django's in-process test client, so the numbers leave
out only the network and the WSGI server.

    .venv/bin/python benchmarks/availability_and_booking.py [--requests N]

Uses whatever DATABASE_URL / REDIS_URL point at (SQLite and local memory if
unset). Creates a throwaway hotel `bench-<random>` and deletes it afterwards.
"""
import argparse
import datetime
import os
import secrets
import statistics
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotelagent.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # one audit line per booking would swamp the report

import django  # noqa: E402 - settings must be chosen before Django loads

django.setup()

from django.conf import settings  # noqa: E402
from django.db import DatabaseError, connection, transaction  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from reservations.models import IdempotentRequest, Reservation, RoomType  # noqa: E402
from reservations.services import inventory_sync  # noqa: E402
from security.api_keys import api_key_create  # noqa: E402
from security.models import AuditEvent  # noqa: E402
from tenants.models import Tenant  # noqa: E402

ROOM_TYPES = [
    # code, name, max guests, base rate
    ("standard", "Standard", 2, Decimal("90.00")),
    ("deluxe", "Deluxe", 3, Decimal("140.00")),
    ("suite", "Suite", 4, Decimal("260.00")),
]
ROOMS_PER_TYPE = 40
AVAILABILITY_STAYS = (2, 14, 60)
BOOKING_NIGHTS = 2
DAY = datetime.timedelta(days=1)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per scenario (default 200)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests first (default 5)")
    parser.add_argument("--idempotency-keys", action="store_true",
                        help="send a fresh Idempotency-Key with every booking")
    return parser.parse_args()


def host() -> str:
    """A host name the settings allow, since the test client's default `testserver` may not be."""
    for allowed in settings.ALLOWED_HOSTS:
        if allowed and allowed != "*":
            return allowed.lstrip(".")
    return "localhost"


def create_hotel() -> tuple[Tenant, str]:
    tenant = Tenant.objects.create(
        slug=f"bench-{secrets.token_hex(4)}", name="Benchmark Hotel", timezone="Europe/Madrid",
        country="ES", currency="EUR", language="es", max_active_reservations_per_guest=5,
    )
    for code, name, max_guests, rate in ROOM_TYPES:
        room_type = RoomType.objects.create(
            tenant=tenant, code=code, name=name, max_guests=max_guests, base_rate=rate,
            room_count=ROOMS_PER_TYPE,
        )
        inventory_sync(room_type=room_type, days=365)
    _api_key, raw_key = api_key_create(tenant=tenant, name="benchmark")
    return tenant, raw_key


def delete_hotel(tenant: Tenant) -> None:
    try:
        with transaction.atomic(), scopes_disabled():
            Reservation.objects.filter(tenant=tenant).delete()
            IdempotentRequest.objects.filter(tenant=tenant).delete()
            AuditEvent.objects.filter(tenant=tenant).delete()
            tenant.delete()  # room types, nights and API keys cascade
    except DatabaseError as error:
        Tenant.objects.filter(pk=tenant.pk).update(is_active=False)
        print(f"could not delete {tenant.slug} ({error}); it is left deactivated", file=sys.stderr)


def timed(requests, expected_status: int) -> tuple[list[float], float, Counter]:
    """Run each request; return per-request ms, wall-clock seconds and status counts."""
    latencies, statuses = [], Counter()
    started = time.perf_counter()
    for request in requests:
        before = time.perf_counter()
        response = request()
        latencies.append((time.perf_counter() - before) * 1000)
        statuses[response.status_code] += 1
        if response.status_code != expected_status and statuses[response.status_code] == 1:
            print(f"    unexpected {response.status_code}: {response.content[:300]!r}")
    return latencies, time.perf_counter() - started, statuses


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def report(name: str, latencies: list[float], seconds: float, statuses: Counter) -> None:
    ordered = sorted(latencies)
    print(
        f"{name:<26} p50 {percentile(ordered, 0.50):7.2f} ms  p95 {percentile(ordered, 0.95):7.2f} ms  "
        f"p99 {percentile(ordered, 0.99):7.2f} ms  mean {statistics.fmean(ordered):7.2f} ms  "
        f"{len(ordered) / seconds:8.1f} req/s  status {dict(statuses)}"
    )


def main() -> int:
    args = parse_args()
    # The query log DEBUG keeps would be measured too; the benchmark wants production behaviour.
    settings.DEBUG = False
    client = APIClient(SERVER_NAME=host())
    tenant, raw_key = create_hotel()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    today = tenant.local_today()
    print(f"{args.requests} requests per scenario on {connection.vendor}, "
          f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, hotel {tenant.slug}")
    failures = 0
    try:
        for nights in AVAILABILITY_STAYS:
            def availability(i, nights=nights):
                check_in = today + (1 + i % 200) * DAY
                return lambda: client.get("/api/v1/availability/", {
                    "check_in": check_in.isoformat(),
                    "check_out": (check_in + nights * DAY).isoformat(),
                    "guests": 2,
                })

            for i in range(args.warmup):
                availability(i)()
            latencies, seconds, statuses = timed(
                [availability(i) for i in range(args.requests)], expected_status=200
            )
            report(f"availability {nights} nights", latencies, seconds, statuses)
            failures += sum(count for status, count in statuses.items() if status != 200)

        def book(i):
            check_in = today + (1 + i % 300) * DAY
            payload = {
                "check_in": check_in.isoformat(),
                "check_out": (check_in + BOOKING_NIGHTS * DAY).isoformat(),
                "room_type": ROOM_TYPES[i % len(ROOM_TYPES)][0],
                "guest_name": f"Bench Guest {i}",
                "guest_email": f"guest{i}@bench.example",
                "guest_phone": f"+34612{i:06d}",
                "guests": 2,
            }
            headers = {"HTTP_IDEMPOTENCY_KEY": secrets.token_hex(16)} if args.idempotency_keys else {}
            return lambda: client.post("/api/v1/reservations/", payload, format="json", **headers)

        warmup = [book(i) for i in range(args.warmup)]
        for request in warmup:
            request()
        latencies, seconds, statuses = timed(
            [book(args.warmup + i) for i in range(args.requests)], expected_status=201
        )
        report(f"booking {BOOKING_NIGHTS} nights", latencies, seconds, statuses)
        failures += sum(count for status, count in statuses.items() if status != 201)
    finally:
        delete_hotel(tenant)
    if failures:
        print(f"{failures} requests did not get the expected status", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
