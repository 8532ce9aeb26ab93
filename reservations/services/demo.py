"""Demo data for a newcomer's first `make run`.

Two hotels that differ in language, currency and timezone, each with three room
types, a year of inventory, a WhatsApp number and an API key; a superuser and
two hotel staff users with different roles, so the admin's scoping shows.

Idempotent by construction: every row is looked up before it is made and rows
that exist are left exactly as they are (a changed rate or password survives a
re-run). Secrets are generated only for rows created now and handed back once.
"""
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django_scopes import scopes_disabled

from security.api_keys import api_key_create
from security.models import ApiKey
from tenants.models import ChannelAccount, Tenant, TenantMembership

from ..models import RoomType
from .inventory import inventory_sync

DEMO_KEY_NAME = "demo"

HOTELS = [
    {
        "slug": "hotel-sol",
        "profile": {
            "name": "Hotel Sol", "language": "es", "currency": "EUR", "timezone": "Europe/Madrid",
            "country": "ES", "support_phone": "+34910000001", "support_email": "reservas@hotelsol.example",
        },
        "whatsapp": ("100000000000001", "+34 600 000 001"),
        "room_types": [
            ("standard", "Habitación estándar", 2, "90.00", 10),
            ("deluxe", "Habitación deluxe", 3, "140.00", 6),
            ("suite", "Suite con terraza", 4, "260.00", 3),
        ],
    },
    {
        "slug": "harbor-inn",
        "profile": {
            "name": "Harbor Inn", "language": "en", "currency": "USD", "timezone": "America/New_York",
            "country": "US", "support_phone": "+12125550101", "support_email": "frontdesk@harborinn.example",
        },
        "whatsapp": ("100000000000002", "+1 212 555 0102"),
        "room_types": [
            ("standard", "Standard Queen", 2, "95.00", 12),
            ("deluxe", "Deluxe King", 3, "145.00", 8),
            ("suite", "Harbor View Suite", 4, "265.00", 3),
        ],
    },
]

# (username, hotel slug, role); None means the superuser.
PEOPLE = [
    ("admin", None, None),
    ("sol-manager", "hotel-sol", TenantMembership.Role.MANAGER),
    ("harbor-staff", "harbor-inn", TenantMembership.Role.STAFF),
]


@dataclass(frozen=True)
class Credential:
    label: str
    secret: str


@dataclass
class DemoSeed:
    hotels_created: int = 0
    room_types_created: int = 0
    nights_opened: int = 0
    credentials: list[Credential] = field(default_factory=list)  # made by this run only


def demo_seed() -> DemoSeed:
    seed = DemoSeed()
    with transaction.atomic(), scopes_disabled():
        hotels = {spec["slug"]: _hotel(spec, seed) for spec in HOTELS}
        for username, slug, role in PEOPLE:
            _person(username, hotels.get(slug), role, seed)
        for hotel in hotels.values():
            if not ApiKey.objects.filter(tenant=hotel, name=DEMO_KEY_NAME, revoked_at__isnull=True).exists():
                _api_key, raw_key = api_key_create(tenant=hotel, name=DEMO_KEY_NAME, actor="cli:seed_demo")
                seed.credentials.append(Credential(f"{hotel.name} API key", raw_key))
    return seed


def _hotel(spec: dict, seed: DemoSeed) -> Tenant:
    hotel, created = Tenant.objects.get_or_create(slug=spec["slug"], defaults=spec["profile"])
    seed.hotels_created += created
    external_id, display_address = spec["whatsapp"]
    ChannelAccount.objects.get_or_create(
        channel=ChannelAccount.Channel.WHATSAPP, external_id=external_id,
        defaults={"tenant": hotel, "display_address": display_address},
    )
    for code, name, max_guests, rate, rooms in spec["room_types"]:
        room_type, created = RoomType.objects.get_or_create(
            tenant=hotel, code=code,
            defaults={"name": name, "max_guests": max_guests, "base_rate": Decimal(rate),
                      "room_count": rooms},
        )
        if created:
            seed.room_types_created += 1
            seed.nights_opened += inventory_sync(room_type=room_type)
    return hotel


def _person(username: str, hotel: Tenant | None, role: str | None, seed: DemoSeed) -> None:
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        password = secrets.token_urlsafe(16)
        email = f"{username}@hotelagent.example"
        if hotel is None:
            user = User.objects.create_superuser(username, email=email, password=password)
            label = f"{username} (superuser) password"
        else:
            user = User.objects.create_user(username, email=email, password=password, is_staff=True)
            label = f"{username} ({role} of {hotel.name}) password"
        seed.credentials.append(Credential(label, password))
    if hotel is not None:
        TenantMembership.objects.get_or_create(user=user, tenant=hotel, defaults={"role": role})
