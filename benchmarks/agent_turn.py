"""Turns per second of the guest agent through `POST /api/v1/messages/`, next to a
bare DRF echo view served by the same process, alternating in rounds so both see
the same machine; plus the queries one turn costs.

    .venv/bin/python benchmarks/agent_turn.py [--requests N] [--rounds R]

Each turn is a guest asking for a room for two nights, which the agent answers
with every room type's price (the warm copy holds room types, the knowledge base
and two-night availability). Uses whatever DATABASE_URL / REDIS_URL point at
(SQLite and local memory if unset); creates a throwaway hotel and deletes it.
"""
import argparse
import datetime
import os
import secrets
import statistics
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

from availability_and_booking import delete_hotel, host  # noqa: E402 - this directory is on sys.path
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import include, path  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402
from rest_framework.decorators import api_view, authentication_classes, permission_classes  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from reservations.cache_warming import warm  # noqa: E402
from reservations.models import RoomType  # noqa: E402
from reservations.services import inventory_sync  # noqa: E402
from security.api_keys import api_key_create  # noqa: E402
from tenants.models import Tenant  # noqa: E402


@api_view(["POST"])
@authentication_classes([])
@permission_classes([])
def echo(request):
    """The reference: DRF parsing a JSON body and rendering a JSON answer, nothing else."""
    return Response({"reply": request.data.get("text", "")})


urlpatterns = [path("bench/echo/", echo), path("", include("hotelagent.urls"))]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100, help="requests per scenario and round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    return parser.parse_args()


def create_hotel() -> tuple[Tenant, str]:
    tenant = Tenant.objects.create(
        slug=f"bench-{secrets.token_hex(4)}", name="Benchmark Hotel", timezone="Europe/Madrid",
        country="ES", currency="EUR", language="es",
    )
    for code, name, guests, rate in (("standard", "Estándar", 2, "90"), ("deluxe", "Deluxe", 3, "140"),
                                     ("suite", "Suite", 4, "260")):
        room_type = RoomType.objects.create(tenant=tenant, code=code, name=name, max_guests=guests,
                                            base_rate=Decimal(rate), room_count=40)
        inventory_sync(room_type=room_type)
    _key, raw = api_key_create(tenant=tenant, name="bench")
    warm(slugs=[tenant.slug], days=30)
    return tenant, raw


def timed(send, n: int) -> float:
    started = time.perf_counter()
    for i in range(n):
        send(i)
    return n / (time.perf_counter() - started)


def main() -> None:
    args = parse_args()
    settings.ROOT_URLCONF = __name__
    with scopes_disabled():
        tenant, raw_key = create_hotel()
    check_in = tenant.local_today() + datetime.timedelta(days=10)
    check_out = check_in + datetime.timedelta(days=2)
    text = f"hola, teneis habitacion del {check_in:%d/%m} al {check_out:%d/%m} pa 2?"
    client = APIClient(HTTP_HOST=host())
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    run = secrets.token_hex(3)

    def turn(i: int) -> None:
        response = client.post("/api/v1/messages/", {"sender": f"bench-{run}-{i}-{time.perf_counter_ns()}",
                                                     "text": text}, format="json")
        assert response.status_code == 200 and "Suite" in response.json()["reply"], response.content[:200]

    def reference(i: int) -> None:
        assert client.post("/bench/echo/", {"text": text}, format="json").status_code == 200

    try:
        turn(0), reference(0)  # imports, caches and connections warm before timing
        queries = []  # request_started clears connection.queries: count with a wrapper instead
        def counted(execute, sql, *rest):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(counted):
            turn(1)
        ratios, turns, echoes = [], [], []
        for _round in range(args.rounds):
            turns.append(timed(turn, args.requests))
            echoes.append(timed(reference, args.requests))
            ratios.append(turns[-1] / echoes[-1])
        print(f"database: {connection.vendor}; {args.rounds} rounds × {args.requests} requests each")
        print(f"agent turn (POST /api/v1/messages/): {statistics.median(turns):8.1f} turns/s (median)")
        print(f"bare DRF echo view:                  {statistics.median(echoes):8.1f} requests/s (median)")
        print(f"ratio turn/echo: min {min(ratios):.3f}  median {statistics.median(ratios):.3f}  "
              f"max {max(ratios):.3f}")
        print(f"queries in one turn: {len(queries)}")
    finally:
        delete_hotel(tenant)


if __name__ == "__main__":
    main()
