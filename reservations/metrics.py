"""Business metrics (the seed guide's business_* series, named for this product).

Counters and histograms count in the process where things happen (summed over
processes by prometheus_client's multiprocess mode under gunicorn). Gauges that
describe shared state are computed when Prometheus scrapes, by the collectors at
the end: PMS circuits from the cache every process shares, occupancy and guest
satisfaction from the database (one query each for every hotel, cached 60 s).
"""
import datetime
import time
import zoneinfo

from prometheus_client import REGISTRY, Counter, Histogram

from security.metrics import ScrapeTimeCollector, cached_for_scrapes

reservations_created = Counter(
    "hotelagent_reservations_created_total",
    "Reservations created",
    ["tenant", "room_type", "source"],
)
reservations_cancelled = Counter(
    "hotelagent_reservations_cancelled_total", "Reservations cancelled", ["tenant"]
)
reservations_refused = Counter(
    "hotelagent_reservations_refused_total",
    "Reservation requests refused by a rule",
    ["tenant", "reason"],
)
reservation_value = Histogram(
    "hotelagent_reservation_value",
    "Reservation totals in the hotel's currency",
    ["tenant", "currency"],
    buckets=(50, 100, 200, 500, 1000, 2000, 5000, 10000, 25000),
)
# The value booked, summed the way the Business dashboard splits it (the histogram
# above cannot: its labels are hotel and currency only).
reservation_revenue = Counter(
    "hotelagent_reservation_revenue_total",
    "Value of the reservations created, in the hotel's currency, by room type and source",
    ["tenant", "room_type", "source", "currency"],
)

# The PMS seam (reservations.pms.breaker / bulkhead / qloapps). The circuit state
# is hotelagent_pms_circuit_state, read at scrape time (PMSCircuitCollector below).
pms_calls = Counter(
    "hotelagent_pms_calls_total",
    "Calls to an external PMS by outcome (ok, failed, rejected, circuit_open, bulkhead_full)",
    ["tenant", "endpoint", "outcome"],
)
pms_degraded_answers = Counter(
    "hotelagent_pms_degraded_answers_total",
    "Availability answered from the last known copy because the PMS was unavailable",
    ["tenant"],
)

# The warm copy (reservations.warm_copy, cache_warming): one request per key read.
cache_requests = Counter(
    "hotelagent_cache_requests_total",
    "Warm copy reads by cache (availability, rates, config) and result (hit, miss)",
    ["cache", "result"],
)
cache_warm_seconds = Histogram(
    "hotelagent_cache_warm_seconds",
    "Seconds one warming of the cache took (warm_cache command or warm_caches task)",
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)
cache_warm_failures = Counter(
    "hotelagent_cache_warm_failures_total",
    "Hotels a warming could not warm (their PMS failed, the cache was unreachable…)",
    ["tenant"],
)


# --- computed at scrape time ---------------------------------------------------


class PMSCircuitCollector(ScrapeTimeCollector):
    """Every endpoint circuit of every active hotel on an external PMS, read from
    the shared cache (one query for the hotels, one cache round trip)."""

    name = "hotelagent_pms_circuit_state"
    documentation = "PMS circuit breaker state: 0 closed, 1 half-open, 2 open (shared by every process)"
    labels = ("tenant", "endpoint")
    clock = staticmethod(time.time)

    def samples(self):
        from django.core.cache import cache

        from tenants.models import Tenant

        from .pms.breaker import ENDPOINTS, breaker_for

        hotels = Tenant.objects.filter(is_active=True).exclude(pms_backend="database").order_by("slug")
        breakers = [
            breaker_for(hotel, endpoint, clock=self.clock) for hotel in hotels for endpoint in ENDPOINTS
        ]
        opened = cache.get_many([breaker._open_key for breaker in breakers])
        return [
            ([breaker.tenant.slug, breaker.endpoint], int(breaker._state_at(opened.get(breaker._open_key))))
            for breaker in breakers
        ]


#: hotelagent_occupancy_ratio's `window` label: nights from the hotel's own today.
OCCUPANCY_WINDOWS = {"tonight": 1, "next_7_nights": 7, "next_30_nights": 30}
OCCUPANCY_CACHE_KEY = "metrics:occupancy"
SATISFACTION_CACHE_KEY = "metrics:satisfaction"
SATISFACTION_DAYS = 90


def occupancy() -> list[tuple[list[str], float]]:
    """rooms_booked / rooms_total of each active hotel's room types over each window,
    in one query for every hotel. Each hotel's today is its own time zone's, which
    is yesterday, today or tomorrow in UTC: the query sums all three (conditional
    sums grouped by hotel and room type) and each hotel's row picks its own."""
    from django.db.models import Q, Sum
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from .models import NightlyInventory

    now = timezone.now()
    utc_today = now.astimezone(datetime.UTC).date()
    sums = {}
    for offset in (-1, 0, 1):
        first = utc_today + datetime.timedelta(days=offset)
        for window, nights in OCCUPANCY_WINDOWS.items():
            nights_in = Q(date__gte=first, date__lt=first + datetime.timedelta(days=nights))
            sums[f"booked_{offset + 1}_{window}"] = Sum("rooms_booked", filter=nights_in)
            sums[f"total_{offset + 1}_{window}"] = Sum("rooms_total", filter=nights_in)
    earliest = utc_today - datetime.timedelta(days=1)
    after_last = utc_today + datetime.timedelta(days=1 + max(OCCUPANCY_WINDOWS.values()))
    with scopes_disabled():
        rows = (
            NightlyInventory.objects.filter(
                room_type__tenant__is_active=True, date__gte=earliest, date__lt=after_last,
            )
            .values("room_type__tenant__slug", "room_type__tenant__timezone", "room_type__code")
            .annotate(**sums).order_by("room_type__tenant__slug", "room_type__code")
        )
        samples = []
        for row in rows:
            local_today = now.astimezone(zoneinfo.ZoneInfo(row["room_type__tenant__timezone"])).date()
            offset = (local_today - utc_today).days
            for window in OCCUPANCY_WINDOWS:
                total = row[f"total_{offset + 1}_{window}"]
                if total:
                    labels = [row["room_type__tenant__slug"], row["room_type__code"], window]
                    samples.append((labels, row[f"booked_{offset + 1}_{window}"] / total))
    return samples


def satisfaction() -> list[tuple[list[str], float]]:
    """Each active hotel's average stay rating over the last SATISFACTION_DAYS days, in one query."""
    from django.db.models import Avg
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from .models import GuestRating

    since = timezone.now() - datetime.timedelta(days=SATISFACTION_DAYS)
    with scopes_disabled():
        rows = (
            GuestRating.objects.filter(tenant__is_active=True, created_at__gte=since)
            .values("tenant__slug").annotate(score=Avg("score")).order_by("tenant__slug")
        )
        return [([row["tenant__slug"]], float(row["score"])) for row in rows]


class OccupancyCollector(ScrapeTimeCollector):
    name = "hotelagent_occupancy_ratio"
    documentation = ("Rooms booked / rooms open, per hotel and room type, for tonight and the next 7 and 30 "
                     "nights (window) from the hotel's today")
    labels = ("tenant", "room_type", "window")

    def samples(self):
        return cached_for_scrapes(OCCUPANCY_CACHE_KEY, occupancy)


class SatisfactionCollector(ScrapeTimeCollector):
    name = "hotelagent_guest_satisfaction_score"
    documentation = f"Average post-stay rating (1-5) over the last {SATISFACTION_DAYS} days, per hotel"
    labels = ("tenant",)

    def samples(self):
        return cached_for_scrapes(SATISFACTION_CACHE_KEY, satisfaction)


pms_circuits = PMSCircuitCollector()
occupancy_ratio = OccupancyCollector()
guest_satisfaction = SatisfactionCollector()
for _collector in (pms_circuits, occupancy_ratio, guest_satisfaction):
    REGISTRY.register(_collector)
