"""What suite.py and http_suite.py share: Django set up for benchmarking, a
throwaway hotel, signed Meta deliveries, statistics and the markdown table.

Import it first: it chooses the settings before Django loads.
"""
import datetime
import hashlib
import hmac
import json
import os
import secrets
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotelagent.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # a line per message or booking would swamp the report
os.environ.setdefault("WHATSAPP_APP_SECRET", "bench-app-secret")
# Celery messages the product queues go to a list of their own, deleted at the end: nobody
# consumes them, and whoever else uses this Redis database keeps its own "celery" queue.
CELERY_QUEUE = os.environ.setdefault("BENCH_CELERY_QUEUE", "bench-celery")

import django  # noqa: E402 - settings must be chosen before Django loads

django.setup()

from django.conf import settings  # noqa: E402
from django.db import DatabaseError, connection, connections  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from hotelagent.celery import app as celery_app  # noqa: E402
from reservations.cache_warming import warm  # noqa: E402
from reservations.models import RoomType  # noqa: E402
from reservations.services import inventory_sync  # noqa: E402
from security.api_keys import api_key_create  # noqa: E402
from tenants.models import ChannelAccount, Tenant  # noqa: E402

settings.ROOT_URLCONF = "bench_urls"
settings.WHATSAPP_APP_SECRET = os.environ["WHATSAPP_APP_SECRET"]
# Intake is measured without processing: the webhook only queues (no worker runs).
settings.CELERY_TASK_ALWAYS_EAGER = False  # Celery reads its configuration lazily, from settings
celery_app.conf.task_always_eager = False
celery_app.conf.task_default_queue = CELERY_QUEUE

DAY = datetime.timedelta(days=1)
ROOM_TYPES = (("standard", "Estándar", 2, "90"), ("deluxe", "Deluxe", 3, "140"), ("suite", "Suite", 4, "260"))
ROOMS_PER_TYPE = 40


@dataclass
class Hotel:
    tenant: Tenant
    api_key: str
    phone_number_id: str
    today: datetime.date = field(init=False)

    def __post_init__(self):
        self.today = self.tenant.local_today()


def create_hotel(*, warm_days: int = 30) -> Hotel:
    """Three room types of 40 rooms, a year of inventory, an API key, a WhatsApp
    number of its own and the cache warmed as the 30-minute task keeps it."""
    with scopes_disabled():
        tenant = Tenant.objects.create(
            slug=f"bench-{secrets.token_hex(4)}", name="Benchmark Hotel", timezone="Europe/Madrid",
            country="ES", currency="EUR", language="es", max_active_reservations_per_guest=5,
        )
        for code, name, guests, rate in ROOM_TYPES:
            room_type = RoomType.objects.create(tenant=tenant, code=code, name=name, max_guests=guests,
                                                base_rate=Decimal(rate), room_count=ROOMS_PER_TYPE)
            inventory_sync(room_type=room_type, days=365)
        _key, raw = api_key_create(tenant=tenant, name="bench")
        number = str(10**14 + secrets.randbelow(9 * 10**14))
        ChannelAccount.objects.create(tenant=tenant, channel=ChannelAccount.Channel.WHATSAPP,
                                      external_id=number)
        if warm_days:
            warm(slugs=[tenant.slug], days=warm_days)
    return Hotel(tenant, raw, number)


def remove_hotel(hotel: Hotel) -> None:
    from availability_and_booking import delete_hotel

    with scopes_disabled():
        delete_hotel(hotel.tenant)
        # Left deactivated on PostgreSQL (its audit trail): its number goes, or `check` warns about it.
        if hotel.tenant.pk is None:  # deleted, numbers and all
            return
        try:
            ChannelAccount.objects.filter(tenant=hotel.tenant).delete()
        except DatabaseError as error:
            print(f"its WhatsApp number stays ({error})", file=sys.stderr)


def host() -> str:
    for allowed in settings.ALLOWED_HOSTS:
        if allowed and allowed != "*":
            return allowed.lstrip(".")
    return "localhost"


GUESTS = 1000  # guests writing in; each writes well under the 120 messages a minute the webhook throttles at


def delivery(phone_number_id: str, *, secret: str | None = None) -> tuple[bytes, str]:
    """A Meta text-message delivery with a fresh wamid from one of GUESTS guests
    (returning guests, as in real traffic: the per-guest throttle never turns it
    into a throttled row), and its X-Hub-Signature-256."""
    sender = f"34600{secrets.randbelow(GUESTS):06d}"
    body = json.dumps({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "34910000001", "phone_number_id": phone_number_id},
            "contacts": [{"profile": {"name": "Ana"}, "wa_id": sender}],
            "messages": [{"from": sender, "id": f"wamid.bench.{uuid.uuid4().hex}",
                          "timestamp": str(int(time.time())), "type": "text",
                          "text": {"body": "Hola, ¿tienen habitación para el fin de semana?"}}],
        }}]}],
    }, separators=(",", ":")).encode()
    key = (secret or settings.WHATSAPP_APP_SECRET).encode()
    return body, "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def turn_text(hotel: Hotel) -> str:
    check_in = hotel.today + 10 * DAY
    return f"hola, teneis habitacion del {check_in:%d/%m} al {check_in + 2 * DAY:%d/%m} pa 2?"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def spread(values: list[float]) -> str:
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"


def environment_line() -> str:
    load = os.getloadavg()
    cores = os.cpu_count() or 1
    line = (f"{datetime.datetime.now():%Y-%m-%d %H:%M}  database {connection.vendor}, cache "
            f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, broker "
            f"{settings.CELERY_BROKER_URL.split(':', 1)[0]}, {cores} cores, load average "
            f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if load[0] > 0.5 * cores:
        line += "\nNOTE: the load average is high (other work on this machine): figures are noisy."
    if connection.vendor == "sqlite" or not settings.REDIS_URL:
        line += ("\nNOTE: not PostgreSQL + Redis; SQLite, local-memory cache and an in-memory broker "
                 "stand in (the intake reference uses a SQLite file and a list): ratios are indicative only.")
    return line


def cleanup_redis(*, flush: bool) -> str:
    """Delete the queued (never consumed) Celery messages and the intake list; FLUSHDB with --flush-redis."""
    if not settings.REDIS_URL:
        return "no REDIS_URL: nothing queued outside this process"
    import redis
    from intake_reference import QUEUE_KEY

    client = redis.Redis.from_url(settings.REDIS_URL)
    if flush:
        client.flushdb()
        return f"flushed Redis {settings.REDIS_URL}"
    client.delete(CELERY_QUEUE, QUEUE_KEY)
    return f"deleted Redis lists {CELERY_QUEUE!r} and {QUEUE_KEY!r}"


def clean_up(hotel: Hotel, *, flush_redis: bool = False) -> str:
    """What a benchmark leaves behind: its hotel, the intake reference's table and
    the Redis lists (or the whole Redis database with --flush-redis)."""
    import intake_reference

    remove_hotel(hotel)
    intake_reference.drop()
    return cleanup_redis(flush=flush_redis)


def close_connections() -> None:
    connections.close_all()


def markdown(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
