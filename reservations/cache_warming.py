"""Warming the cache (the seed guide's 4.1): for every active hotel, the warm copy
of `warm_copy` — availability of one- and two-night stays arriving on each of the
next CACHE_WARM_DAYS days, each room type's rate for those nights, and the hotel's
configuration — so guests' questions are answered without the database or the PMS.

Run by `manage.py warm_cache` and by the `warm_caches` task (beat, every 30
minutes, and once when a worker starts). The cost grows with the hotels, not with
their nights or room types:

1. the active hotels' ids: one query;
2. their generations, created where missing: one or two round trips for all;
3. the hotels with their room types and channel accounts: three queries for all;
4. per hotel: its nights' generations (one or two round trips), one read of the
   whole window from its PMS — one inventory query, or one QloApps call kept as
   the last-known-good snapshot (`snapshots.snapshot_store`, one upsert) that
   answers while QloApps is down — and the values (one `set_many` per TTL).

Generations are read before the database, never after (see warm_copy). One
hotel's failure — its QloApps down — is reported and the others go on; its
configuration is still warmed, its previous snapshot still stands.
"""
import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django_scopes import scopes_disabled

from tenants.models import ChannelAccount, Tenant

from . import metrics, warm_copy
from .errors import PMSRejected, PMSUnavailable
from .models import RoomType
from .pms import get_adapter
from .snapshots import snapshot_store
from .warm_copy import DAY, STAY_NIGHTS, Store

logger = logging.getLogger(__name__)

KINDS = ("rooms", "rate")
# Failures whose message says it all; anything else is logged with its traceback.
SAID_IN_A_LINE = (PMSUnavailable, PMSRejected)


@dataclass
class WarmReport:
    hotels: int = 0  # warmed completely
    keys: int = 0  # values and generations written
    seconds: float = 0.0
    round_trips: int = 0  # to the cache
    failures: dict[str, str] = field(default_factory=dict)  # hotel slug -> what went wrong

    def as_dict(self) -> dict:
        return {"hotels": self.hotels, "keys": self.keys, "seconds": round(self.seconds, 3),
                "round_trips": self.round_trips, "failed": self.failures}


def warm(
    *,
    slugs: list[str] | None = None,
    days: int | None = None,
    on_hotel: Callable[[str, int, int], None] | None = None,
) -> WarmReport:
    """Warm the active hotels (only `slugs` when given) for `days` arrival days
    (CACHE_WARM_DAYS). `on_hotel(slug, done, total)` is called after each hotel."""
    days = days or settings.CACHE_WARM_DAYS
    started, store, report = time.perf_counter(), Store(), WarmReport()
    hotels = Tenant.objects.filter(is_active=True)
    if slugs is not None:
        hotels = hotels.filter(slug__in=slugs)
    ids = dict(hotels.order_by("slug").values_list("pk", "slug"))
    try:
        generations = _hotel_generations(store, list(ids), report)
    except Exception as error:  # the cache is unreachable: no hotel can be warmed
        logger.exception("warming: the cache cannot be written")
        generations, report.failures = {}, {slug: _describe(error) for slug in ids.values()}
    for done, tenant in enumerate(_hotels(generations), start=1):
        try:
            report.keys += _warm_hotel(store, tenant, generations[tenant.pk], days)
            report.hotels += 1
        except Exception as error:  # one hotel's failure does not stop the others
            report.failures[tenant.slug] = _describe(error)
            logger.warning("warming %s failed: %s", tenant.slug, _describe(error),
                           exc_info=not isinstance(error, SAID_IN_A_LINE))
        if on_hotel:
            on_hotel(tenant.slug, done, len(generations))
    for slug in report.failures:
        metrics.cache_warm_failures.labels(tenant=slug).inc()
    report.seconds, report.round_trips = time.perf_counter() - started, store.round_trips
    metrics.cache_warm_seconds.observe(report.seconds)
    logger.info("warmed %d hotels: %d keys in %.2f s, %d cache round trips%s", report.hotels,
                report.keys, report.seconds, report.round_trips,
                f"; failed: {', '.join(sorted(report.failures))}" if report.failures else "")
    return report


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def _hotel_generations(store: Store, ids: list[int], report: WarmReport) -> dict[int, str]:
    keys = {warm_copy.hotel_gen_key(pk): pk for pk in ids}
    found = store.get_many(list(keys))
    missing = {key: warm_copy.new_generation() for key in keys if key not in found}
    store.set_many(missing, None)  # one key per hotel; deleted when its configuration changes
    report.keys += len(missing)
    return {keys[key]: generation for key, generation in {**found, **missing}.items()}


def _hotels(generations: dict[int, str]) -> list[Tenant]:
    """The hotels, each with its room types and channel accounts, in three queries."""
    if not generations:
        return []
    with scopes_disabled():
        return list(
            Tenant.objects.filter(pk__in=generations).order_by("slug").prefetch_related(
                Prefetch("room_types", queryset=RoomType.objects.order_by(*RoomType._meta.ordering)),
                Prefetch("channel_accounts", queryset=ChannelAccount.objects.order_by("pk")),
            )
        )


def _warm_hotel(store: Store, tenant: Tenant, generation: str, days: int) -> int:
    """Write one hotel's warm copy; returns the keys written."""
    room_types = list(tenant.room_types.all())
    today = tenant.local_today()
    check_ins = [today + DAY * offset for offset in range(days)]
    nights = [today + DAY * offset for offset in range(days + max(STAY_NIGHTS) - 1)]
    night_gens, written = _night_generations(store, tenant.pk, room_types, nights, days)
    batches: dict[int, dict] = defaultdict(dict)
    batches[settings.CACHE_CONFIG_TTL][warm_copy.config_key(tenant.pk)] = warm_copy.config_value(
        generation, tenant, room_types, tenant.channel_accounts.all(), warm_through=check_ins[-1]
    )
    try:
        offers = _read_pms(tenant, room_types, nights[0], nights[-1] + DAY)
    except Exception:
        _write(store, batches)  # the configuration is ours whatever the PMS says
        raise
    for room_type in room_types:
        nights_by_date = {offer.date: offer for offer in offers.get(room_type.id, [])}
        batches[settings.CACHE_AVAILABILITY_TTL].update(
            _stays(tenant.pk, generation, room_type, nights_by_date, check_ins, night_gens)
        )
        for night in nights:
            known = nights_by_date.get(night)
            rate_gen = night_gens[warm_copy.night_gen_key(tenant.pk, "rate", room_type.id, night)]
            batches[settings.CACHE_RATES_TTL][warm_copy.rate_key(tenant.pk, room_type.id, night)] = (
                generation, rate_gen, known.rate if known else room_type.base_rate
            )
    return written + _write(store, batches)


def _night_generations(store, tenant_id, room_types, nights, days) -> tuple[dict[str, str], int]:
    """Every night's generations, those missing created (alive a little longer than
    the window, which is as long as a value can refer to them)."""
    keys = [warm_copy.night_gen_key(tenant_id, kind, rt.id, night)
            for rt in room_types for night in nights for kind in KINDS]
    found = store.get_many(keys)
    missing = {key: warm_copy.new_generation() for key in keys if key not in found}
    store.set_many(missing, int((days + max(STAY_NIGHTS) + 1) * DAY.total_seconds()))
    return {**found, **missing}, len(missing)


def _read_pms(tenant, room_types, first_night: datetime.date, end: datetime.date) -> dict:
    if not room_types:
        return {}
    adapter = get_adapter(tenant)
    offers = adapter.check_availability(tenant=tenant, room_types=room_types, check_in=first_night,
                                        check_out=end)
    if adapter.keeps_snapshots:
        snapshot_store(tenant=tenant, offers_by_type=offers)
    return offers


def _stays(tenant_id, generation, room_type, nights_by_date, check_ins, night_gens) -> dict:
    values = {}
    for check_in in check_ins:
        for nights in STAY_NIGHTS:
            covered = [check_in + DAY * i for i in range(nights)]
            gens = tuple(night_gens[warm_copy.night_gen_key(tenant_id, "rooms", room_type.id, night)]
                         for night in covered)
            offer = warm_copy.stay_offer(room_type, nights_by_date, check_in, nights)
            values[warm_copy.stay_key(tenant_id, room_type.id, check_in, nights)] = (
                generation, gens, offer.available
            )
    return values


def _write(store: Store, batches: dict[int, dict]) -> int:
    for timeout, values in batches.items():
        store.set_many(values, timeout)
    return sum(len(values) for values in batches.values())
