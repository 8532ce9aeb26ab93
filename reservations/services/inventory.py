import datetime

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest

from ..models import NightlyInventory, RoomType

DEFAULT_HORIZON_DAYS = 365


@transaction.atomic
def inventory_sync(*, room_type: RoomType, days: int = DEFAULT_HORIZON_DAYS) -> int:
    """Open nights from the hotel's today through `days` ahead and make future
    nights match the room count. A night never drops below what is already booked,
    so shrinking a room type cannot invalidate existing reservations.
    Returns how many nights were opened."""
    today = room_type.tenant.local_today()
    wanted = [today + datetime.timedelta(days=offset) for offset in range(days)]
    existing = set(
        NightlyInventory.objects.with_scopes_disabled()
        .filter(room_type=room_type, date__gte=today)
        .values_list("date", flat=True)
    )
    missing = [
        NightlyInventory(room_type=room_type, date=date, rooms_total=room_type.room_count)
        for date in wanted
        if date not in existing
    ]
    NightlyInventory.objects.bulk_create(missing, batch_size=500, ignore_conflicts=True)
    NightlyInventory.objects.with_scopes_disabled().filter(
        room_type=room_type, date__gte=today
    ).exclude(rooms_total=room_type.room_count).update(
        rooms_total=Greatest(F("rooms_booked"), room_type.room_count)
    )
    return len(missing)
