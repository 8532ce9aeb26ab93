"""Celery tasks of the messaging pipeline. Each is safe to run twice: processing
locks and checks the inbound row, sending locks and checks the outbound row."""
import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from kombu.exceptions import OperationalError

from . import guest_messaging
from .emergency import respond_to_failure
from .media import download_inbound_media, sweep_pending_media  # noqa: F401 - registered with the worker
from .models import InboundMessage, OutboundMessage
from .processing import mark_failed, process_inbound
from .sending import mark_read, release_unknown, send_outbound, settle_lost_attempts

logger = logging.getLogger(__name__)

MAX_PROCESSING_ATTEMPTS = 5


def enqueue(task, *args) -> bool:
    """Queue a task, tolerating a broker outage: the row is already stored and the
    sweep will pick it up, so the caller must not fail."""
    try:
        task.delay(*args)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning("broker unavailable, %s(%s) left for the sweep: %s", task.name, args, exc)
        return False
    return True


@shared_task(acks_late=True)
def process_inbound_message(inbound_id: int) -> int:
    mark_read(inbound_id)  # two blue ticks and "typing…" before the turn; best effort, short timeout
    try:
        replies = process_inbound(inbound_id)
    except Exception as exc:
        logger.exception("processing inbound %s failed", inbound_id)
        mark_failed(inbound_id, exc)
        apology = respond_to_failure(inbound_id, exc, max_attempts=MAX_PROCESSING_ATTEMPTS)
        if apology is not None:
            enqueue(send_outbound_message, apology.pk)
        return 0
    for reply in replies:  # process_inbound has committed: the rows are visible to workers
        enqueue(send_outbound_message, reply.pk)
    return len(replies)


@shared_task(bind=True, acks_late=True)
def send_outbound_message(self, outbound_id: int) -> bool:
    """One attempt at a reply (webhooks/sending.py says how it stays single).
    The next attempt of a failed one is queued with its countdown when it is
    near; far ones, and any whose task is lost, are queued by `sweep_outbound`
    from the row's `next_attempt_at`. Eagerly (no broker) nothing is re-queued:
    the retry would run at once, not after its delay."""
    try:
        result = send_outbound(outbound_id)
    except DatabaseError as exc:  # no claim, so nothing was sent: the sweep will pick it up
        logger.warning("reply %s not attempted, the database is unavailable: %s", outbound_id, exc)
        close_old_connections()
        return False
    if (result.retry_in is not None and not self.request.is_eager
            and result.retry_in <= settings.WHATSAPP_SEND_QUEUE_RETRY_MAX_SECONDS):
        enqueue_later(send_outbound_message, outbound_id, countdown=result.retry_in)
    return result.sent


def enqueue_later(task, *args, countdown: float) -> bool:
    try:
        task.apply_async(args=args, countdown=countdown)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning("broker unavailable, %s(%s) left for the sweep: %s", task.name, args, exc)
        return False
    return True


@shared_task
def sweep_inbound() -> int:
    """Re-enqueue messages left behind: stored while the broker was down, or failed
    with an unexpected error and still under the attempt limit."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.INBOUND_SWEEP_AFTER_SECONDS)
    stale = list(
        InboundMessage.objects.with_scopes_disabled()
        .filter(received_at__lt=cutoff, attempts__lt=MAX_PROCESSING_ATTEMPTS,
                status__in=[InboundMessage.Status.RECEIVED, InboundMessage.Status.FAILED])
        .order_by("received_at")
        .values_list("pk", flat=True)[:1000]
    )
    return sum(enqueue(process_inbound_message, pk) for pk in stale)


@shared_task
def hand_over_waiting_questions() -> int:
    """Questions a guest left waiting mid-booking, handed to staff once the guest
    has been quiet AGENT_WAITING_QUESTIONS_AFTER_SECONDS (webhooks/conversations.py)."""
    from .conversations import hand_over_waiting_questions as hand_over

    return hand_over(quiet_for=datetime.timedelta(seconds=settings.AGENT_WAITING_QUESTIONS_AFTER_SECONDS))


@shared_task
def sweep_outbound() -> int:
    """Queue every reply due for an attempt, whatever its attempt count: never
    queued (the broker was down), its retry task lost (a worker restarted in the
    backoff), or due after a long backoff; settle attempts whose outcome was lost
    and resend the unknown ones whose wait is over. A due reply whose task does
    turn up as well is still sent once: the claim takes it from `pending`."""
    now = timezone.now()
    settle_lost_attempts(now)
    released = release_unknown(now)
    cutoff = now - datetime.timedelta(seconds=settings.OUTBOUND_SWEEP_AFTER_SECONDS)
    due = list(
        OutboundMessage.objects.with_scopes_disabled()
        .filter(status=OutboundMessage.Status.PENDING, channel="whatsapp", next_attempt_at__lt=cutoff)
        .exclude(pk__in=released)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
    return sum(enqueue(send_outbound_message, pk) for pk in [*released, *due])


@shared_task
def send_guest_messages() -> int:
    """Beat, every 15 minutes: the pre-arrival messages and surveys due at each
    hotel in its own sending window (webhooks/guest_messaging.py). Safe twice:
    a stay's message is written once, whichever run gets there first."""
    summary = guest_messaging.send_guest_messages()
    for hotel in summary.hotels:
        if hotel.sent or hotel.skipped:
            logger.info("guest messages: %s", hotel.line())
    return summary.sent
