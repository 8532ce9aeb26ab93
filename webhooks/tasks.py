"""Celery tasks of the messaging pipeline. Each is safe to run twice: processing
locks and checks the inbound row, sending locks and checks the outbound row."""
import datetime
import logging
import random

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from .emergency import respond_to_failure
from .models import InboundMessage, OutboundMessage
from .processing import mark_failed, process_inbound
from .sending import RetryableSendError, send_outbound

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


def _backoff(retries: int) -> float:
    """Exponential backoff with full jitter, capped at 5 minutes."""
    return random.uniform(0, min(300, 2 ** (retries + 1)))


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_outbound_message(self, outbound_id: int) -> bool:
    final = self.request.retries >= settings.WHATSAPP_SEND_MAX_RETRIES
    try:
        return send_outbound(outbound_id, final_attempt=final).sent
    except RetryableSendError as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


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
def sweep_outbound() -> int:
    """Re-enqueue replies never tried: stored while the broker was down (their send
    task could not be queued, or was lost with it). Sending locks and checks the
    row, so a reply whose task does turn up is still sent once."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.INBOUND_SWEEP_AFTER_SECONDS)
    stale = list(
        OutboundMessage.objects.with_scopes_disabled()
        .filter(created_at__lt=cutoff, attempts=0, status=OutboundMessage.Status.PENDING, channel="whatsapp")
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )
    return sum(enqueue(send_outbound_message, pk) for pk in stale)
