"""The last known good availability of an external PMS (AvailabilitySnapshot).

Every successful read from the PMS is kept, one row per room type and night, so
that while the PMS is unavailable guests still get an answer, marked as possibly
out of date with the time it was true. One upsert per read and one select per
fallback, whatever the number of nights or room types.
"""
import datetime

from django.utils import timezone

from .models import AvailabilitySnapshot
from .pms import NightOffer


def snapshot_store(*, tenant, offers_by_type: dict[int, list[NightOffer]]) -> int:
    """Keep what the PMS just said; returns how many nights were written."""
    now = timezone.now()
    rows = [
        AvailabilitySnapshot(room_type_id=room_type_id, date=offer.date, rooms_free=offer.rooms_free,
                             rate=offer.rate, as_of=now)
        for room_type_id, offers in offers_by_type.items()
        for offer in offers
    ]
    if rows:
        AvailabilitySnapshot.objects.with_scope(tenant=tenant).bulk_create(
            rows, update_conflicts=True, unique_fields=["room_type", "date"],
            update_fields=["rooms_free", "rate", "as_of"],
        )
    return len(rows)


def snapshot_offers(
    *, tenant, room_types, check_in: datetime.date, check_out: datetime.date
) -> tuple[dict[int, list[NightOffer]], datetime.datetime | None]:
    """The kept nights of the stay per room type id, and when the oldest of them was
    true (None when nothing at all is kept)."""
    offers: dict[int, list[NightOffer]] = {room_type.id: [] for room_type in room_types}
    oldest = None
    rows = (
        AvailabilitySnapshot.objects.with_scope(tenant=tenant)
        .filter(room_type_id__in=offers, date__gte=check_in, date__lt=check_out)
        .order_by("room_type_id", "date")
        .values_list("room_type_id", "date", "rooms_free", "rate", "as_of")
    )
    for room_type_id, date, rooms_free, rate, as_of in rows:
        offers[room_type_id].append(NightOffer(date, rooms_free, rate))
        oldest = as_of if oldest is None else min(oldest, as_of)
    return offers, oldest
