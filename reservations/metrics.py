"""Business metrics (the seed guide's business_* series, named for this product)."""
from prometheus_client import Counter, Histogram

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
