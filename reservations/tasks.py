from celery import shared_task
from django_scopes import scopes_disabled

from .models import RoomType
from .services import inventory_sync


@shared_task
def extend_inventory(days: int = 365) -> int:
    """Daily: keep a rolling year of nights open for every room type."""
    opened = 0
    with scopes_disabled():
        room_types = list(RoomType.objects.select_related("tenant"))
    for room_type in room_types:
        opened += inventory_sync(room_type=room_type, days=days)
    return opened
