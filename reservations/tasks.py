import datetime
import logging

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_scopes import scopes_disabled
from kombu.exceptions import OperationalError

from security.locking import Busy, retry_after_seconds

from . import cache_warming
from .models import IdempotentRequest, PendingBooking, RoomType
from .services import inventory_sync, pending_booking_retry

logger = logging.getLogger(__name__)


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


@shared_task(bind=True, max_retries=3)
def retry_pending_bookings(self, tenant_id: int | None = None) -> dict[str, int]:
    """Every minute, and as soon as a PMS circuit closes: book what was accepted
    during an outage. A hotel whose PMS is still unavailable is left alone after
    its first attempt, so an outage costs one refused call per hotel per run. A
    booking whose lock was busy stays pending and the task is retried seconds later."""
    pending = PendingBooking.objects.with_scopes_disabled().filter(status=PendingBooking.Status.PENDING)
    if tenant_id is not None:
        pending = pending.filter(tenant_id=tenant_id)
    outcomes = {"confirmed": 0, "rejected": 0, "pending": 0, "busy": 0, "skipped": 0}
    still_down: set[int] = set()
    for pk, owner in pending.order_by("created_at").values_list("pk", "tenant_id")[:500]:
        if owner in still_down:
            outcomes["pending"] += 1
            continue
        outcome = pending_booking_retry(pending_id=pk)
        outcomes[outcome] += 1
        if outcome == "pending":
            still_down.add(owner)
    if outcomes["busy"]:
        busy = Busy(f"{outcomes['busy']} pending booking(s) waited too long for a lock")
        raise self.retry(exc=busy, countdown=retry_after_seconds())
    return outcomes


def enqueue_pending_booking_retry(tenant_id: int) -> bool:
    """Queue a retry of the hotel's pending bookings (a circuit just closed). A
    broker outage is tolerated: the minutely beat run picks them up anyway."""
    try:
        retry_pending_bookings.delay(tenant_id)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning("broker unavailable, pending bookings of tenant %s left to beat: %s", tenant_id, exc)
        return False
    return True


WARMING_LOCK = "warm1:task-running"
WARMING_LOCK_SECONDS = 15 * 60  # a run that died frees the next one well before its copy expires


@shared_task
def warm_caches(days: int | None = None) -> dict:
    """Every 30 minutes (beat) and once when a worker starts: warm every active
    hotel's availability, rates and configuration (reservations.cache_warming).
    A run already under way elsewhere makes this one a no-op (workers starting
    together queue one each); the lock lapses on its own if that run dies."""
    if not cache.add(WARMING_LOCK, 1, timeout=WARMING_LOCK_SECONDS):
        logger.info("warm_caches: another warming is running; skipped")
        return {"skipped": True}
    try:
        return cache_warming.warm(days=days).as_dict()
    finally:
        cache.delete(WARMING_LOCK)


@worker_ready.connect(dispatch_uid="reservations.tasks.warm_caches_when_a_worker_starts")
def warm_caches_when_a_worker_starts(sender=None, **kwargs) -> None:
    """A worker just started (a deploy, a restart): queue one warming rather than
    wait up to 30 minutes for beat. Only queues; never runs it in eager mode."""
    if warm_caches.app.conf.task_always_eager:
        return
    try:
        warm_caches.delay()
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning("broker unavailable, cache warming left to beat: %s", exc)
