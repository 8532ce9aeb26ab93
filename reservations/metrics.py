"""Business metrics (the seed guide's business_* series, named for this product)."""
from prometheus_client import Counter, Gauge, Histogram

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

# The PMS seam (reservations.pms.breaker / bulkhead / qloapps). The gauge holds the
# state this process last saw; take the max over processes when alerting.
pms_circuit_state = Gauge(
    "hotelagent_pms_circuit_state",
    "PMS circuit breaker state: 0 closed, 1 half-open, 2 open",
    ["tenant", "endpoint"],
)
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
