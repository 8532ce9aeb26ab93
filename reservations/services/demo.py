"""Demo data for a newcomer's first `make run`.

Two hotels that differ in language, currency and timezone, each with three room
types, a year of inventory, a WhatsApp number and an API key; a superuser and
two hotel staff users with different roles, so the admin's scoping shows.

Idempotent by construction: every row is looked up before it is made and rows
that exist are left exactly as they are (a changed rate or password survives a
re-run), except that a room type's blank descriptive fields (names per language,
description, beds, amenities, size) are filled in. Secrets are generated only
for rows created now and handed back once.
"""
import datetime
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django_scopes import scopes_disabled

from security.api_keys import api_key_create
from security.models import ApiKey
from tenants.demo_knowledge import install_demo_knowledge
from tenants.models import ChannelAccount, Tenant, TenantMembership

from ..models import Reservation, RoomType
from .booking import reservation_create
from .changes import reservation_check_in
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
            ("standard", "Habitación estándar", 2, "90.00", 10, {
                "name_es": "Habitación estándar", "name_en": "Standard room",
                "description_es": "Habitación interior y tranquila con dos camas individuales, ducha a ras "
                                  "de suelo y escritorio.",
                "description_en": "A quiet inner room with two single beds, a walk-in shower and a desk.",
                "beds": "twin", "size_m2": 18,
                "amenities": ["walk_in_shower", "air_conditioning", "heating", "desk", "crib_available"],
            }),
            ("deluxe", "Habitación deluxe", 3, "140.00", 6, {
                "name_es": "Habitación deluxe", "name_en": "Deluxe room",
                "description_es": "Habitación exterior con cama king, balcón a la calle, bañera y cafetera.",
                "description_en": "An outside room with a king bed, a balcony over the street, a bathtub "
                                  "and a coffee machine.",
                "beds": "king", "size_m2": 26,
                "amenities": ["balcony", "city_view", "bathtub", "air_conditioning", "heating", "desk",
                              "minibar", "coffee_machine", "crib_available"],
            }),
            ("suite", "Suite con terraza", 4, "260.00", 3, {
                "name_es": "Suite con terraza", "name_en": "Terrace suite",
                "description_es": "Suite en la última planta con terraza privada y vistas al mar, "
                                  "cama doble, sofá cama en el salón y bañera.",
                "description_en": "A top-floor suite with a private terrace and sea view, a double bed, a "
                                  "sofa bed in the lounge and a bathtub.",
                "beds": "double_sofa_bed", "size_m2": 40,
                "amenities": ["terrace", "sea_view", "bathtub", "air_conditioning", "heating", "sofa",
                              "minibar", "coffee_machine", "crib_available"],
            }),
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
            ("standard", "Standard Queen", 2, "95.00", 12, {
                "name_es": "Estándar queen", "name_en": "Standard Queen",
                "description_es": "Habitación acogedora con cama queen, ducha a ras de suelo y escritorio.",
                "description_en": "A cozy room with a queen bed, a walk-in shower and a work desk.",
                "beds": "queen", "size_m2": 18,
                "amenities": ["walk_in_shower", "air_conditioning", "heating", "desk", "coffee_machine"],
            }),
            ("deluxe", "Deluxe King", 3, "145.00", 8, {
                "name_es": "Deluxe king", "name_en": "Deluxe King",
                "description_es": "Habitación amplia con cama king, balcón con vistas a la ciudad y bañera.",
                "description_en": "A roomy king room with a city-view balcony and a bathtub.",
                "beds": "king", "size_m2": 26,
                "amenities": ["balcony", "city_view", "bathtub", "air_conditioning", "heating", "desk",
                              "minibar", "coffee_machine", "crib_available"],
            }),
            ("suite", "Harbor View Suite", 4, "265.00", 3, {
                "name_es": "Suite con vistas al puerto", "name_en": "Harbor View Suite",
                "description_es": "Suite de esquina con terraza sobre el puerto, cama doble, sofá cama y "
                                  "bañera.",
                "description_en": "A corner suite with a terrace over the harbor, a double bed, a sofa bed "
                                  "and a bathtub.",
                "beds": "double_sofa_bed", "size_m2": 40,
                "amenities": ["terrace", "sea_view", "bathtub", "air_conditioning", "heating", "sofa",
                              "minibar", "coffee_machine", "crib_available", "accessible"],
            }),
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
    reservations_created: int = 0
    credentials: list[Credential] = field(default_factory=list)  # made by this run only


def demo_seed() -> DemoSeed:
    seed = DemoSeed()
    with transaction.atomic(), scopes_disabled():
        hotels = {spec["slug"]: _hotel(spec, seed) for spec in HOTELS}
        for username, slug, role in PEOPLE:
            _person(username, hotels.get(slug), role, seed)
        for hotel in hotels.values():
            _front_desk_day(hotel, seed)
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
    for code, name, max_guests, rate, rooms, details in spec["room_types"]:
        # A placeholder on the reserved .example domain: the agent sends it as the room's photo.
        details = {"photo_url": f"https://photos.hotelagent.example/{spec['slug']}/{code}.jpg", **details}
        room_type, created = RoomType.objects.get_or_create(
            tenant=hotel, code=code,
            defaults={"name": name, "max_guests": max_guests, "base_rate": Decimal(rate),
                      "room_count": rooms, **details},
        )
        if created:
            seed.room_types_created += 1
            seed.nights_opened += inventory_sync(room_type=room_type)
        else:
            _fill_blank_details(room_type, details)
    install_demo_knowledge(hotel)  # FAQs in both languages, address and policies: idempotent
    return hotel


# A hotel's first morning: guests arriving today (one already at the desk) and the
# week's bookings, so the dashboard, the calendar and the lists have something to show.
DEMO_GUESTS = [
    # (name, email, phone, room type, days from today, nights, guests, check in now)
    ("Ana García", "ana.garcia@example.com", "+34612345601", "standard", 0, 3, 2, True),
    ("Tom Baker", "tom.baker@example.com", "+34612345602", "deluxe", 0, 2, 2, False),
    ("Lena Koch", "lena.koch@example.com", "+34612345603", "suite", 2, 4, 3, False),
    ("Pablo Ortega", "pablo.ortega@example.com", "+34612345604", "standard", 5, 2, 1, False),
]


def _front_desk_day(hotel: Tenant, seed: DemoSeed) -> None:
    """Only for a hotel with no reservations yet: the demo never adds to a real day."""
    if Reservation.objects.filter(tenant=hotel).exists():
        return
    codes = set(RoomType.objects.filter(tenant=hotel).values_list("code", flat=True))
    today = hotel.local_today()
    for name, email, phone, room, days, nights, guests, arrived in DEMO_GUESTS:
        if room not in codes:
            continue
        check_in = today + datetime.timedelta(days=days)
        check_out = check_in + datetime.timedelta(days=nights)
        reservation = reservation_create(
            tenant=hotel, room_type=room, check_in=check_in, check_out=check_out, guests=guests,
            guest_name=name, guest_email=email, guest_phone=phone, source="admin", actor="cli:seed_demo",
        )
        seed.reservations_created += 1
        if arrived:
            reservation_check_in(tenant=hotel, code=reservation.code, actor="cli:seed_demo")


def _fill_blank_details(room_type: RoomType, details: dict) -> None:
    """Room types seeded before they had descriptions get them; whatever staff
    filled in themselves stays."""
    blank = [name for name, value in details.items() if getattr(room_type, name) in ("", None, [])]
    for name in blank:
        setattr(room_type, name, details[name])
    if blank:
        room_type.save(update_fields=blank)


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
