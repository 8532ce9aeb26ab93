import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django_scopes import scopes_disabled

from .models import IdempotentRequest, RoomType
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


@shared_task
def purge_idempotency_keys() -> int:
    """Daily: forget Idempotency-Key answers older than the retention window, which
    is far longer than any client's retry schedule."""
    cutoff = timezone.now() - datetime.timedelta(hours=settings.IDEMPOTENCY_KEY_RETENTION_HOURS)
    deleted, _ = IdempotentRequest.objects.with_scopes_disabled().filter(created_at__lt=cutoff).delete()
    return deleted
