"""The warm copy: availability, rates and configuration of each hotel, kept in the
cache by `cache_warming` and read first by `selectors.availability_for` (and so by
the API and the agent alike).

Keys (under the cache's KEY_PREFIX; `warm1` is the format, bumped if it changes):

    warm1:<hotel>:gen                                 the hotel's generation (no expiry)
    warm1:<hotel>:config                              profile, room types, channel accounts
    warm1:<hotel>:gen:rooms:<room type>:<night>       one night's rooms generation
    warm1:<hotel>:gen:rate:<room type>:<night>        one night's rate generation
    warm1:<hotel>:avail:<room type>:<check-in>:<n>    rooms free for every night of an n-night stay
    warm1:<hotel>:rate:<room type>:<night>            the night's rate

A value records the generations it was computed under; it is believed only while
they are all still current. A generation is a random token, so invalidating is
deleting it: changing night D of a room type deletes that night's generation,
which invalidates exactly the stays that cover D (check-in D for one and two
nights, D-1 for two) and, for a rate change, the rate of D — nothing of other room
types or nights. A change of the hotel's configuration (profile, a room type,
a channel account, a resize) deletes the hotel's generation and with it everything
of that hotel.

Why generations rather than deleting the values: a warming that read the
database just before a booking committed would otherwise write the old count
back just after the booking deleted it, and the cache would promise the room
for an hour. The warmer reads (or creates) the generations *before* it reads
the database, so anything it writes after a change has the generation that
change deleted, and is never believed. A missing generation (never warmed,
expired, evicted, Redis restarted) is a miss, never a stale answer.

Invalidation runs in `transaction.on_commit`: `stay_changed` (bookings and
cancellations, in the services), `nights_changed` (inventory_sync, admin edits of
a night) and `hotel_changed` (signals below). If the cache cannot be reached then,
the error is logged; values expire after their TTL (CACHE_AVAILABILITY_TTL), and a
booking checks the database under its locks whatever the cache said.

Every cache operation here is one round trip (`get_many`/`set_many`/`delete_many`
are pipelined by django-redis) and is counted by `Store`, which the warming report
and the benchmark print. Reads that fail treat the cache as empty and leave it
alone for READ_BACKOFF_SECONDS, so a Redis outage costs one timeout per process
now and then, not one per request.
"""
import datetime
import logging
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants.models import ChannelAccount, Tenant

from . import metrics
from .models import NightlyInventory, RoomType
from .pms import NightOffer

logger = logging.getLogger(__name__)

PREFIX = "warm1"
STAY_NIGHTS = (1, 2)  # the stays kept warm; others are asked of the PMS
READ_BACKOFF_SECONDS = 5.0
DAY = datetime.timedelta(days=1)
_reads_resume_at = 0.0


# --- keys ---------------------------------------------------------------------

def hotel_gen_key(tenant_id: int) -> str:
    return f"{PREFIX}:{tenant_id}:gen"


def config_key(tenant_id: int) -> str:
    return f"{PREFIX}:{tenant_id}:config"


def night_gen_key(tenant_id: int, kind: str, room_type_id: int, night: datetime.date) -> str:
    """kind: "rooms" (what is free) or "rate"."""
    return f"{PREFIX}:{tenant_id}:gen:{kind}:{room_type_id}:{night.isoformat()}"


def stay_key(tenant_id: int, room_type_id: int, check_in: datetime.date, nights: int) -> str:
    return f"{PREFIX}:{tenant_id}:avail:{room_type_id}:{check_in.isoformat()}:{nights}"


def rate_key(tenant_id: int, room_type_id: int, night: datetime.date) -> str:
    return f"{PREFIX}:{tenant_id}:rate:{room_type_id}:{night.isoformat()}"


def new_generation() -> str:
    return secrets.token_hex(8)


# --- the cache, one round trip per call ---------------------------------------

class Store:
    """The Django cache as the warm copy uses it, counting round trips."""

    def __init__(self):
        self.round_trips = 0

    def get_many(self, keys: list[str]) -> dict:
        if not keys:
            return {}
        self.round_trips += 1
        return cache.get_many(keys)

    def set_many(self, values: dict, timeout: int | None) -> None:
        if values:
            self.round_trips += 1
            cache.set_many(values, timeout)

    def delete_many(self, keys: list[str]) -> None:
        if keys:
            self.round_trips += 1
            cache.delete_many(keys)


def _read(store: Store, keys: list[str]) -> dict | None:
    """The values found, or None when the cache cannot be read (then not tried
    again in this process for READ_BACKOFF_SECONDS)."""
    global _reads_resume_at
    if time.monotonic() < _reads_resume_at:
        return None
    try:
        return store.get_many(keys)
    except Exception as error:  # any cache failure is a miss: the database answers
        _reads_resume_at = time.monotonic() + READ_BACKOFF_SECONDS
        logger.warning("warm copy unreadable (%s: %s); reading the database for %.0f s",
                       type(error).__name__, error, READ_BACKOFF_SECONDS)
        return None


def _count(cache_name: str, hit: bool, times: int = 1) -> None:
    if times:
        metrics.cache_requests.labels(cache=cache_name, result="hit" if hit else "miss").inc(times)


# --- what a stay costs and leaves, from the nights ------------------------------

@dataclass(frozen=True)
class StayOffer:
    """One room type for one stay: rooms free on every night, and each night's rate."""

    available: int
    nightly_rates: list[Decimal]


def stay_offer(room_type: RoomType, nights_by_date: dict[datetime.date, NightOffer],
               check_in: datetime.date, nights: int) -> StayOffer:
    """A night the PMS does not know has no room, and the room type's base rate."""
    known = [nights_by_date.get(check_in + DAY * i) for i in range(nights)]
    available = min(night.rooms_free for night in known) if all(known) else 0
    rates = [night.rate if night else room_type.base_rate for night in known]
    return StayOffer(max(available, 0), rates)


# --- configuration ------------------------------------------------------------

ROOM_TYPE_FIELDS = [field.attname for field in RoomType._meta.concrete_fields]
PROFILE_FIELDS = [field.attname for field in Tenant._meta.concrete_fields]


@dataclass(frozen=True)
class HotelConfig:
    """A hotel as the warm copy keeps it: `room_types` in their usual order."""

    profile: dict
    room_types: list[RoomType]
    channel_accounts: list[dict]
    # The last arrival day the warmer filled: a later stay is never looked up.
    # None (a copy written before it was recorded): look everything up.
    warm_through: datetime.date | None = None


def config_value(generation: str, tenant: Tenant, room_types, channel_accounts,
                 warm_through: datetime.date | None = None) -> dict:
    return {
        "gen": generation,
        "through": warm_through,
        "fields": ROOM_TYPE_FIELDS,  # a deploy that changes the model reads older copies as misses
        "profile": {name: getattr(tenant, name) for name in PROFILE_FIELDS},
        "room_types": [tuple(getattr(rt, name) for name in ROOM_TYPE_FIELDS) for rt in room_types],
        "channel_accounts": [
            {"channel": account.channel, "external_id": account.external_id,
             "display_address": account.display_address}
            for account in channel_accounts
        ],
    }


def _config(tenant: Tenant, value: dict) -> HotelConfig:
    room_types = []
    for row in value["room_types"]:
        room_type = RoomType.from_db("default", ROOM_TYPE_FIELDS, row)
        room_type.tenant = tenant
        room_types.append(room_type)
    return HotelConfig(value["profile"], room_types, value["channel_accounts"], value.get("through"))


def read_config(tenant: Tenant) -> tuple[str | None, HotelConfig | None]:
    """The hotel's generation (None: nothing of this hotel is warm) and its warm
    configuration (None on a miss)."""
    found = _read(Store(), [hotel_gen_key(tenant.pk), config_key(tenant.pk)])
    if found is None:
        return None, None
    generation, value = found.get(hotel_gen_key(tenant.pk)), found.get(config_key(tenant.pk))
    hit = (generation is not None and isinstance(value, dict) and value.get("gen") == generation
           and value.get("fields") == ROOM_TYPE_FIELDS)
    _count("config", hit)
    return generation, _config(tenant, value) if hit else None


# --- availability and rates -----------------------------------------------------

def read_stays(*, tenant: Tenant, generation: str | None, room_types: list[RoomType],
               check_in: datetime.date, nights: int,
               warm_through: datetime.date | None = None) -> dict[int, StayOffer]:
    """StayOffers per room type id for the room types whose availability and every
    night's rate are warm and current; the others are missing. An arrival after
    `warm_through` (the warm configuration's) is a miss without a round trip: the
    warmer never wrote it, and most stays asked for more than a month ahead
    would otherwise pay for a lookup that cannot hit."""
    if nights not in STAY_NIGHTS or not room_types:
        return {}
    if generation is None or (warm_through is not None and check_in > warm_through):
        _count("availability", False, len(room_types))
        return {}
    dates = [check_in + DAY * i for i in range(nights)]
    wanted = {}
    for rt in room_types:
        wanted[rt.id] = (
            stay_key(tenant.pk, rt.id, check_in, nights),
            [night_gen_key(tenant.pk, "rooms", rt.id, day) for day in dates],
            [(rate_key(tenant.pk, rt.id, day), night_gen_key(tenant.pk, "rate", rt.id, day))
             for day in dates],
        )
    keys = []
    for stay, rooms, rates in wanted.values():
        keys += [stay, *rooms, *(key for pair in rates for key in pair)]
    found = _read(Store(), keys)
    if found is None:
        return {}
    stays = {}
    for room_type_id, (stay, rooms, rates) in wanted.items():
        stay_value, gens = found.get(stay), tuple(found.get(key) for key in rooms)
        stay_hit = stay_value is not None and None not in gens and stay_value[:2] == (generation, gens)
        _count("availability", stay_hit)
        nightly = []
        for key, gen_key in rates:
            rate_value, gen = found.get(key), found.get(gen_key)
            if rate_value is not None and gen is not None and rate_value[:2] == (generation, gen):
                nightly.append(rate_value[2])
        _count("rates", True, len(nightly))
        _count("rates", False, len(rates) - len(nightly))
        if stay_hit and len(nightly) == nights:
            stays[room_type_id] = StayOffer(stay_value[2], nightly)
    return stays


# --- invalidation ---------------------------------------------------------------

def _forget(keys: list[str], what: str) -> None:
    try:
        Store().delete_many(keys)
    except Exception:
        logger.error("could not invalidate the warm copy of %s: it may be stale until its TTL ends",
                     what, exc_info=True)


def _on_commit(keys: list[str], what: str) -> None:
    transaction.on_commit(partial(_forget, keys, what))


def _dates(first: datetime.date, end: datetime.date) -> Iterable[datetime.date]:
    day = first
    while day < end:
        yield day
        day += DAY


def stay_changed(*, tenant_id: int, room_type_id: int, check_in: datetime.date,
                 check_out: datetime.date) -> None:
    """Rooms were taken or given back for these nights (a booking, a cancellation)."""
    keys = [night_gen_key(tenant_id, "rooms", room_type_id, day) for day in _dates(check_in, check_out)]
    _on_commit(keys, f"room type {room_type_id} {check_in}–{check_out}")


def nights_changed(*, tenant_id: int, room_type_id: int, dates: Iterable[datetime.date]) -> None:
    """These nights' rooms or rates changed (opened, edited by staff)."""
    keys = [night_gen_key(tenant_id, kind, room_type_id, day) for day in dates for kind in ("rooms", "rate")]
    if keys:
        _on_commit(keys, f"room type {room_type_id}, {len(keys) // 2} nights")


def hotel_changed(tenant_id: int) -> None:
    """The hotel's configuration changed: nothing of it is believed any more."""
    _on_commit([hotel_gen_key(tenant_id)], f"hotel {tenant_id}")


@receiver([post_save, post_delete], sender=Tenant, dispatch_uid="warm_copy.tenant")
def _tenant_saved(sender, instance, **kwargs):
    hotel_changed(instance.pk)


@receiver([post_save, post_delete], sender=RoomType, dispatch_uid="warm_copy.room_type")
@receiver([post_save, post_delete], sender=ChannelAccount, dispatch_uid="warm_copy.channel_account")
def _part_of_hotel_saved(sender, instance, **kwargs):
    hotel_changed(instance.tenant_id)


# Saves only (staff editing a night's total or rate in the admin): bookings and
# inventory_sync write with UPDATE / bulk_create and call the functions above.
# Nights are never deleted on their own; a room type's go with it, and its
# post_delete has already invalidated the hotel.
@receiver(post_save, sender=NightlyInventory, dispatch_uid="warm_copy.night")
def _night_saved(sender, instance, **kwargs):
    nights_changed(tenant_id=instance.room_type.tenant_id, room_type_id=instance.room_type_id,
                   dates=[instance.date])
