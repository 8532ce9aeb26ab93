"""When processing a message fails unexpectedly (the seed guide's emergency response).

Nothing is lost: the inbound row is already stored and marked failed, and the
sweep retries it. Here the guest gets a short apology in their language, once per
message however often it is retried (it is reply number APOLOGY_SEQUENCE of that
message, and the (inbound, sequence) pair is unique), and the hotel's support
address and the site admins get a critical e-mail, at most one per hotel every
CRITICAL_ALERT_INTERVAL_SECONDS (a cache.add guard shared by every process).
"""
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .agent import replies
from .agent.understanding.language import detect_language
from .models import Conversation, InboundMessage, OutboundMessage

logger = logging.getLogger(__name__)

# Replies to a message are numbered from 0; the apology sits far from them so the
# replies of a later successful attempt never collide with it.
APOLOGY_SEQUENCE = 999


def _language(message: InboundMessage) -> str:
    conversation = (
        Conversation.objects.with_scope(tenant=message.tenant)
        .filter(channel=message.channel, guest_id=message.sender_id)
        .order_by("-last_activity_at").values_list("language", flat=True).first()
    )
    return conversation or detect_language(message.text or "") or message.tenant.language


def apologize(message: InboundMessage) -> OutboundMessage | None:
    """The apology reply, or None when this message already had one."""
    tenant = message.tenant
    text = replies.render("apology", _language(message), hotel={
        "name": tenant.name, "support_phone": tenant.support_phone, "support_email": tenant.support_email,
    })
    try:
        with transaction.atomic():
            return OutboundMessage.objects.create(
                tenant=tenant, inbound=message, sequence=APOLOGY_SEQUENCE, channel=message.channel,
                account_external_id=message.account_external_id, recipient_id=message.sender_id, text=text,
            )
    except IntegrityError:
        return None


def alert_staff(message: InboundMessage, error: BaseException, *, max_attempts: int) -> bool:
    """E-mail the hotel's support address and ADMINS; False when one went out recently."""
    tenant = message.tenant
    interval = settings.CRITICAL_ALERT_INTERVAL_SECONDS
    try:
        first = cache.add(f"critical-alert:processing:{tenant.pk}", 1, timeout=interval)
    except Exception:  # no shared memory of earlier alerts: better one too many than none
        logger.warning("alert throttle unavailable, e-mailing anyway", exc_info=True)
        first = True
    if not first:
        return False
    recipients = [address for address in [tenant.support_email, *(a for _n, a in settings.ADMINS)] if address]
    if not recipients:
        logger.critical("processing failed at %s and nobody is configured to hear about it", tenant.slug)
        return False
    context = {
        "hotel": tenant.name, "message_id": message.pk, "channel": message.channel,
        "sender": message.sender_id,
        "at": timezone.now().isoformat(timespec="seconds"), "error": f"{type(error).__name__}: {error}"[:500],
        "max_attempts": max_attempts,
        "interval_minutes": interval // 60,
    }
    subject = render_to_string("emails/processing_failed_subject.txt", context).strip()
    send_mail(subject, render_to_string("emails/processing_failed.txt", context), settings.SERVER_EMAIL,
              list(dict.fromkeys(recipients)))
    logger.critical("processing failed at %s: alert sent to %s", tenant.slug, recipients)
    return True


def respond_to_failure(inbound_id: int, error: BaseException, *, max_attempts: int) -> OutboundMessage | None:
    """Apologize and alert; never raises (it runs while handling a failure).
    Returns the apology to send, if one was made now."""
    try:
        message = InboundMessage.objects.with_scopes_disabled().select_related("tenant").get(pk=inbound_id)
        apology = apologize(message)
    except Exception:
        logger.exception("could not apologize for inbound %s", inbound_id)
        return None
    try:
        alert_staff(message, error, max_attempts=max_attempts)
    except Exception:
        logger.exception("could not alert staff about inbound %s", inbound_id)
    return apology
