import datetime

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest

from .. import warm_copy
from ..models import NightlyInventory, RoomType

DEFAULT_HORIZON_DAYS = 365


@transaction.atomic
def inventory_sync(
    *, room_type: RoomType, days: int = DEFAULT_HORIZON_DAYS, previous_room_count: int | None = None
) -> int:
    """Open nights from the hotel's today through `days` ahead; returns how many opened.

    When the room count changed (`previous_room_count` given), future nights that
    still had the old count follow the new one, never dropping below what is
    already booked. Nights whose total staff set by hand (a room out of order)
    keep it: the daily extension and a resize only touch what they own."""
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
    warm_copy.nights_changed(tenant_id=room_type.tenant_id, room_type_id=room_type.pk,
                             dates=[night.date for night in missing])
    if previous_room_count is not None and previous_room_count != room_type.room_count:
        NightlyInventory.objects.with_scopes_disabled().filter(
            room_type=room_type, date__gte=today, rooms_total=previous_room_count
        ).update(rooms_total=Greatest(F("rooms_booked"), room_type.room_count))
        warm_copy.hotel_changed(room_type.tenant_id)  # a resize moves every future night
    return len(missing)
