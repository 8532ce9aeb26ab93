"""Sending replies through the WhatsApp Cloud API, once, however the lights flicker.

The Graph API has no idempotency key: a message Meta accepted and we send again
reaches the guest twice. So one attempt is three steps, none of them holding a
lock or a transaction across the call:

1. claim — a due `pending` reply becomes `sending` in its own committed write
   (attempt counted, `attempt_started_at` set); no other worker will take it;
2. call the Graph API;
3. record what Meta said. Its message id goes to the send journal (the cache)
   first, then to the row with a write that reconnects and retries when the
   database dropped our connection — the write is retried, never the send.

A reply left `sending` after a call could have finished lost its outcome (the
worker died, the database stayed away). The sweep settles it: the journal says
sent → sent; otherwise it becomes `unknown`. A status notification from Meta for
it (matched by the journal's wamid, or by recipient) marks it sent; without one
it is sent again `WHATSAPP_UNKNOWN_RESEND_AFTER_SECONDS` after the lost attempt.
That is the trade-off a guest would choose: after a crash, a rare second copy
of a reply rather than a question left unanswered.

Transient failures — timeouts, connection errors, 5xx, 429 and Meta's throttling
and "try later" codes — are retried with capped exponential backoff and jitter,
never sooner than a Retry-After, until `WHATSAPP_SEND_RETRY_HORIZON_SECONDS`
after the reply was written or the guest's 24-hour customer-service window
closes, whichever is first. Any other 4xx means the request itself is wrong and
is final at once. While the Graph API's circuit is open nothing is called:
replies wait for its trial.

Outside the guest's 24-hour window Meta accepts only approved templates. A
message with a purpose (a pre-arrival message, a survey, a staff reply) goes out
as the hotel's template for that purpose when the window is closed, or when Meta
answers 131047 ("outside the window") to its free text; with no template it is
not sent, and the thread says why. A message without a purpose — the agent's
answers, always within the window — is left to Meta to judge.

Each number sends with its own access token (webhooks/whatsapp_credentials.py),
else WHATSAPP_ACCESS_TOKEN. No token at all, or a 401/403 from Meta, is final at
once too — no retry will make a revoked token valid — and flags the channel.
"""
import contextlib
import datetime
import email.utils
import logging
import random
import time
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from opentelemetry import trace

from security.circuit import CircuitOpenError
from security.circuit import State as CircuitState

from . import metrics, send_journal, whatsapp_credentials
from .graph_circuit import GraphAPIUnavailable, graph_api_circuit
from .message_templates import one_line, template_body
from .models import InboundMessage, MessageTemplate, OutboundMessage
from .outbound_media import graph_media, needs_upload

logger = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)

Status = OutboundMessage.Status

CUSTOMER_SERVICE_WINDOW = datetime.timedelta(hours=24)
# Meta's codes for "too many, slow down" and "our side failed, try later".
# https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
TRANSIENT_META_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004})
OUTSIDE_WINDOW_CODE = 131047


@dataclass(frozen=True)
class SendResult:
    sent: bool = False
    skipped: bool = False
    #: Seconds until the next attempt is due, when one is scheduled.
    retry_in: float | None = None


def send_outbound(outbound_id: int) -> SendResult:
    """Make one attempt at a reply that is due; anything else is left alone."""
    circuit = graph_api_circuit()
    try:
        trial = circuit.before_call()
    except CircuitOpenError as refused:
        # Open: wait for the trial. Half-open: another worker's trial is under way
        # and will close it in a moment or open it again; look again soon.
        trial_under_way = circuit.retry_after() == 0
        return _postpone(outbound_id, 2 if trial_under_way else (refused.retry_after or 1))
    outbound = _claim(outbound_id)
    if outbound is None:
        circuit.abandon(trial=trial)
        return SendResult(skipped=True)
    try:
        token = whatsapp_credentials.token_for(outbound.account_external_id)
    except BaseException:  # the store is unreadable: the sweep settles the `sending` row
        circuit.abandon(trial=trial)
        raise
    if not token:
        circuit.abandon(trial=trial)
        return _credentials_refused(outbound, whatsapp_credentials.MISSING, {
            "error": "access_token_missing",
            "detail": "No access token for this WhatsApp number: save one on its channel account "
                      "(or set WHATSAPP_ACCESS_TOKEN).",
        })
    template = None  # free text, unless the window is closed
    if outbound.purpose and not _window_open(outbound):
        template = _template_for(outbound)
        if template is None:
            circuit.abandon(trial=trial)
            return _final(outbound, _no_template(outbound))
    try:
        upload = needs_upload(outbound.media) and template is None
        response = _upload_media(outbound, token) if upload else None
        if response is None or response.status_code < 400:
            response = _graph_request(outbound, token, template)
        if (outbound.purpose and template is None and response.status_code == 400
                and _meta_code(_error_body(response)) == OUTSIDE_WINDOW_CODE):
            # Meta's clock says the window has closed: its word counts. Nothing
            # reached the guest, so the template is no second copy.
            template = _template_for(outbound)
            if template is not None:
                response = _graph_request(outbound, token, template)
        if response.status_code >= 500:
            raise GraphAPIUnavailable(response)
    except (httpx.LocalProtocolError, UnicodeEncodeError) as exc:  # the token is no valid header value
        circuit.abandon(trial=trial)
        return _credentials_refused(outbound, whatsapp_credentials.REJECTED, {
            "error": "access_token_invalid", "detail": f"The access token cannot be sent: {exc}"[:500]})
    except httpx.HTTPError as exc:
        circuit.record_failure(trial=trial, error=exc)
        error = (_error_body(exc.answer) if isinstance(exc, GraphAPIUnavailable)
                 else {"error": type(exc).__name__, "detail": str(exc)[:500]})
        return _transient(outbound, error)
    except BaseException:  # the worker is going away: the sweep settles the `sending` row
        circuit.abandon(trial=trial)
        raise
    circuit.record_success(trial=trial)  # any answer below 500 means Meta is up
    if response.status_code in (401, 403):
        return _credentials_refused(outbound, whatsapp_credentials.REJECTED, {
            **_error_body(response), "error": "access_token_rejected",
            "detail": f"Meta refused this number's access token (HTTP {response.status_code}): "
                      "save a new one on its channel account.",
        })
    if response.status_code >= 400:
        error = _error_body(response)
        if response.status_code == 429 or _meta_code(error) in TRANSIENT_META_CODES:
            return _transient(outbound, error, retry_after=_retry_after(response))
        return _final(outbound, error)
    wamid = _message_id(response)
    if wamid:
        send_journal.remember(outbound.pk, wamid)
    sent_at = timezone.now()
    recorded = _record(outbound.pk, status=Status.SENT, sent_at=sent_at, external_id=wamid, error={},
                       template=template)
    metrics.send_attempts.labels(outcome="sent" if recorded else "unrecorded").inc()
    if recorded:
        metrics.count_reply(outbound.pk, outbound.channel, metrics.SENT, sent_at=sent_at)
    whatsapp_credentials.credentials_worked(outbound.account_external_id)
    return SendResult(sent=True)


def _credentials_refused(outbound: OutboundMessage, problem: str, error: dict) -> SendResult:
    whatsapp_credentials.credentials_failed(outbound.account_external_id, problem, error["error"])
    # ERROR once per channel (credentials_failed), not once per reply.
    return _final(outbound, {**error, "reason": error["error"]}, level=logging.WARNING)


def _graph_request(outbound: OutboundMessage, token: str, template: MessageTemplate | None) -> httpx.Response:
    url = f"{settings.WHATSAPP_API_BASE_URL.rstrip('/')}/{outbound.account_external_id}/messages"
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.post(url, json=message_body(outbound, template=template), headers=headers,
                      timeout=settings.WHATSAPP_SEND_TIMEOUT)


def _upload_media(outbound: OutboundMessage, token: str) -> httpx.Response:
    """Upload a file staff attached to Meta (`POST /<number>/media`) and keep the
    media id on the row: a retry sends that id instead of uploading again. An
    error answer is returned to be judged like the message's own."""
    media = outbound.media
    with default_storage.open(media["upload"], "rb") as stored:
        content = stored.read()
    url = f"{settings.WHATSAPP_API_BASE_URL.rstrip('/')}/{outbound.account_external_id}/media"
    response = httpx.post(
        url, headers={"Authorization": f"Bearer {token}"}, timeout=settings.WHATSAPP_SEND_TIMEOUT,
        data={"messaging_product": "whatsapp", "type": media["mime_type"]},
        files={"file": (media.get("filename") or media["upload"].rsplit("/", 1)[-1], content,
                        media["mime_type"])},
    )
    if response.status_code < 400:
        try:
            media_id = str(response.json()["id"])
        except (ValueError, KeyError, TypeError):
            return httpx.Response(502, json={"error": {"message": "media upload answered without an id"}})
        outbound.media = {**media, "id": media_id}
        _replies().filter(pk=outbound.pk).update(media=outbound.media)
    return response


# --- the 24-hour window and the templates that go past it -----------------------


def last_guest_message_at(outbound: OutboundMessage) -> datetime.datetime | None:
    """When the guest last wrote to the number this message goes out from, by
    Meta's clock (the message's own timestamp): the start of their window."""
    return (
        InboundMessage.objects.with_scopes_disabled()
        .filter(tenant_id=outbound.tenant_id, channel="whatsapp", sender_id=outbound.recipient_id,
                account_external_id=outbound.account_external_id)
        .aggregate(at=Max("sent_at"))["at"]
    )


def _window_open(outbound: OutboundMessage) -> bool:
    last = last_guest_message_at(outbound)
    return last is not None and timezone.now() < last + CUSTOMER_SERVICE_WINDOW


def _template_for(outbound: OutboundMessage) -> MessageTemplate | None:
    """The hotel's active template for the message's purpose in the guest's
    language: the conversation's, else the hotel's, else any (a guest would
    rather read English than nothing)."""
    templates = list(
        MessageTemplate.objects.with_scopes_disabled()
        .filter(tenant_id=outbound.tenant_id, purpose=outbound.purpose, is_active=True)
        .select_related("tenant").order_by("language", "pk")
    )
    if not templates:
        return None
    guest_language = outbound.conversation.language if outbound.conversation_id else ""
    wanted = [guest_language, templates[0].tenant.language]
    for language in filter(None, wanted):
        for template in templates:
            if template.language == language or template.language.split("_")[0] == language.split("_")[0]:
                return template
    return templates[0]


def _no_template(outbound: OutboundMessage) -> dict:
    return {
        "error": "template_missing", "reason": "template_missing", "purpose": outbound.purpose,
        "detail": f"The guest's 24-hour window is closed and the hotel has no active template for "
                  f"\"{outbound.purpose}\": add the one approved at Meta under Message templates.",
    }


# --- the request body: text, or the same choices as reply buttons or a list ----
# Meta's limits (Cloud API "interactive reply buttons" and "interactive list
# messages"). A request over any of them is refused with a 4xx, which is final:
# a reply that does not fit goes as its numbered text instead.
MAX_BODY = 1024
MAX_BUTTONS, MAX_BUTTON_TITLE = 3, 20
MAX_ROWS, MAX_ROW_TITLE, MAX_ROW_DESCRIPTION, MAX_LIST_BUTTON = 10, 24, 72, 20
MAX_CHOICE_ID = 200
DEFAULT_LIST_BUTTON = "Ver opciones"


def message_body(outbound: OutboundMessage, *, template: MessageTemplate | None = None) -> dict:
    """The Graph API request for a reply: the template when one is given (the
    window is closed), an interactive message when the reply offers choices that
    fit WhatsApp's limits, its text otherwise. The text is the same choices
    numbered, so a guest who types "2" is understood either way."""
    body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": outbound.recipient_id}
    if template is not None:
        values = outbound.template_values if isinstance(outbound.template_values, dict) else {}
        return {**body, "type": "template", "template": template_body(template, values)}
    media = graph_media(outbound.media) if outbound.media else None
    if media is not None:
        kind, medium = media
        return {**body, "type": kind, kind: medium}
    interactive = _interactive(outbound.interactive) if outbound.channel == "whatsapp" else None
    if interactive is None:
        return {**body, "type": "text", "text": {"preview_url": False, "body": outbound.text}}
    return {**body, "type": "interactive", "interactive": interactive}


def _interactive(stored: dict | None) -> dict | None:
    """Reply buttons for up to three short titles, a list for up to ten choices,
    None (send the text) for anything else: no choices, too many, a body Meta
    would refuse, or an id that is missing, repeated or too long — ids are never
    cut, because a tap must come back with the id the agent gave."""
    if not isinstance(stored, dict):
        return None
    text, choices = stored.get("body"), stored.get("choices")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_BODY:
        return None
    if not isinstance(choices, list) or not 0 < len(choices) <= MAX_ROWS:
        return None
    rows = []
    for choice in choices:
        if not isinstance(choice, dict):
            return None
        choice_id, title = choice.get("id"), choice.get("title")
        description = choice.get("description") or ""
        if not (isinstance(choice_id, str) and choice_id and len(choice_id) <= MAX_CHOICE_ID):
            return None
        if not (isinstance(title, str) and title.strip() and isinstance(description, str)):
            return None
        rows.append((choice_id, " ".join(title.split()), " ".join(description.split())))
    if len({choice_id for choice_id, _, _ in rows}) < len(rows):
        return None
    titles = [title for _, title, _ in rows]
    short = all(len(title) <= MAX_BUTTON_TITLE for title in titles)
    if len(rows) <= MAX_BUTTONS and short and len(set(titles)) == len(titles):  # button titles must differ
        return {"type": "button", "body": {"text": text}, "action": {"buttons": [
            {"type": "reply", "reply": {"id": choice_id, "title": title}} for choice_id, title, _ in rows
        ]}}
    label = stored.get("button") if isinstance(stored.get("button"), str) else ""
    return {"type": "list", "body": {"text": text}, "action": {
        "button": one_line(label, MAX_LIST_BUTTON) or DEFAULT_LIST_BUTTON,
        "sections": [{"rows": [
            {"id": choice_id, "title": one_line(title, MAX_ROW_TITLE)}
            | ({"description": one_line(description, MAX_ROW_DESCRIPTION)} if description else {})
            for choice_id, title, description in rows
        ]}],
    }}


def _replies():
    return OutboundMessage.objects.with_scopes_disabled().filter(channel="whatsapp")


def _claim(outbound_id: int) -> OutboundMessage | None:
    """The reply, now `sending` and committed so, if it was pending and due."""
    now = timezone.now()
    with transaction.atomic():
        outbound = (
            _replies().select_for_update(skip_locked=True)
            .filter(pk=outbound_id, status=Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if outbound is None:
            return None
        outbound.status, outbound.attempt_started_at = Status.SENDING, now
        outbound.attempts += 1
        outbound.save(update_fields=["status", "attempt_started_at", "attempts"])
    return outbound


def _record(outbound_pk: int, **changes) -> bool:
    """Write an attempt's outcome, surviving a dropped connection. Only a reply
    still `sending` (or marked `unknown` meanwhile by the sweep) is written: a
    status notification may have settled it first. False when the database could
    not be reached; the journal and the sweep take over from there."""
    attempts = settings.WHATSAPP_OUTCOME_WRITE_ATTEMPTS
    for attempt in range(1, attempts + 1):
        try:
            _replies().filter(pk=outbound_pk, status__in=[Status.SENDING, Status.UNKNOWN]).update(**changes)
            return True
        except DatabaseError as exc:
            if connection.in_atomic_block:  # not ours to reconnect: the caller's transaction is lost
                raise
            logger.warning("recording the outcome of reply %s failed (try %s of %s): %s",
                           outbound_pk, attempt, attempts, exc)
            connection.close()  # the next query opens a fresh connection
            if attempt < attempts:
                time.sleep(min(2.0, 0.1 * 2 ** attempt))
    logger.error("outcome of reply %s (%s) could not be recorded; the sweep will settle it",
                 outbound_pk, changes.get("status"))
    return False


def _postpone(outbound_id: int, seconds: float) -> SendResult:
    """The circuit is open: move the reply's next attempt to the trial time
    (spread a little, so recovered replies do not all arrive at once)."""
    delay = seconds + random.uniform(0, min(10.0, seconds))
    moved = _replies().filter(
        pk=outbound_id, status=Status.PENDING, next_attempt_at__lte=timezone.now(),
    ).update(next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay))
    if not moved:
        return SendResult(skipped=True)
    metrics.send_attempts.labels(outcome="circuit_open").inc()
    return SendResult(retry_in=delay)


def backoff(attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones: doubling from
    WHATSAPP_SEND_RETRY_BASE_SECONDS up to WHATSAPP_SEND_MAX_BACKOFF_SECONDS,
    with "equal jitter" (half fixed, half random) so that replies spread out but
    the wait still grows."""
    ceiling = min(settings.WHATSAPP_SEND_MAX_BACKOFF_SECONDS,
                  settings.WHATSAPP_SEND_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def _transient(outbound: OutboundMessage, error: dict, *, retry_after: float | None = None) -> SendResult:
    delay = max(backoff(outbound.attempts), retry_after or 0)
    due = timezone.now() + datetime.timedelta(seconds=delay)
    give_up_at, why = _give_up_at(outbound)
    if due > give_up_at:
        return _final(outbound, {**error, "reason": why, "attempts": outbound.attempts})
    _record(outbound.pk, status=Status.PENDING, next_attempt_at=due, error=error)
    metrics.send_attempts.labels(outcome="retry").inc()
    logger.info("reply %s: attempt %s failed, next in %.0f s: %s", outbound.pk, outbound.attempts, delay,
                error.get("error") or f"HTTP {error.get('http_status')}, Meta code {_meta_code(error)}")
    return SendResult(retry_in=delay)


def _give_up_at(outbound: OutboundMessage) -> tuple[datetime.datetime, str]:
    """The last moment a retry makes sense, and why: the retry horizon, or the
    end of the guest's 24-hour window, after which Meta refuses free text (a
    message with a purpose can still go as its template then)."""
    horizon = outbound.created_at + datetime.timedelta(seconds=settings.WHATSAPP_SEND_RETRY_HORIZON_SECONDS)
    last_message = None if outbound.purpose else last_guest_message_at(outbound)
    if last_message is not None and last_message + CUSTOMER_SERVICE_WINDOW < horizon:
        return last_message + CUSTOMER_SERVICE_WINDOW, "customer_service_window_closed"
    return horizon, "retry_horizon_exceeded"


def _final(outbound: OutboundMessage, error: dict, *, level: int = logging.ERROR) -> SendResult:
    if _meta_code(error) == OUTSIDE_WINDOW_CODE:
        error = {**error, "reason": "customer_service_window_closed"}
    logger.log(level, "reply %s failed for good: %s", outbound.pk, error.get("reason") or error.get("error")
                 or f"HTTP {error.get('http_status')}, Meta code {_meta_code(error)}")  # the body: on the row
    if _record(outbound.pk, status=Status.FAILED, error=error):
        metrics.count_reply(outbound.pk, outbound.channel, metrics.FAILED)
    metrics.send_attempts.labels(outcome="failed").inc()
    return SendResult()


def _error_body(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        body = {"body": response.text[:500]}
    return {"http_status": response.status_code, "response": body}


def _meta_code(error: dict) -> int | None:
    try:
        return int(error["response"]["error"]["code"])
    except (KeyError, TypeError, ValueError):
        return None


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds (a number or an HTTP date), capped at an hour."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.UTC)
        seconds = (moment - timezone.now()).total_seconds()
    return min(3600.0, max(0.0, seconds))


def _message_id(response: httpx.Response) -> str:
    try:
        return str(response.json()["messages"][0]["id"])[:255]
    except (ValueError, KeyError, IndexError, TypeError):
        return ""


# --- read receipts: the guest sees two blue ticks and "typing…" -----------------
# Best effort: a short timeout, every error swallowed and counted, never retried.
# Only a fresh message's first processing, so a sweep's retry of an old one does
# not show "typing…" for a reply long given. Typing ends with the reply or after 25 s.
READ_RECEIPT_TIMEOUT = httpx.Timeout(2.0, connect=1.0)
READ_RECEIPT_MAX_AGE = datetime.timedelta(minutes=10)


def mark_read(inbound_id: int) -> str:
    """Mark a guest's WhatsApp message read and show the typing indicator; returns
    the outcome counted (`skipped` when there is nothing to mark)."""
    try:
        outcome = _mark_read(inbound_id)
    except Exception:  # whatever went wrong, the reply goes on
        logger.warning("read receipt for inbound %s failed", inbound_id, exc_info=True)
        outcome = "error"
    if outcome != "skipped":
        metrics.read_receipts.labels(outcome=outcome).inc()
    return outcome


def _mark_read(inbound_id: int) -> str:
    message = (
        InboundMessage.objects.with_scopes_disabled()
        .filter(pk=inbound_id, channel="whatsapp", status=InboundMessage.Status.RECEIVED, attempts=0,
                received_at__gte=timezone.now() - READ_RECEIPT_MAX_AGE)
        .exclude(external_id="")
        .only("external_id", "account_external_id").first()
    )
    if message is None or not _first_read_receipt(inbound_id):
        return "skipped"
    if graph_api_circuit().state != CircuitState.CLOSED:
        return "circuit_open"
    token = whatsapp_credentials.token_for(message.account_external_id)
    if not token:
        return "no_token"
    url = f"{settings.WHATSAPP_API_BASE_URL.rstrip('/')}/{message.account_external_id}/messages"
    body = {"messaging_product": "whatsapp", "status": "read", "message_id": message.external_id,
            "typing_indicator": {"type": "text"}}
    # Its own span, not httpx's generic POST …/messages: the one Graph API call in a
    # message's trace stays the reply's, under its send task (README, Observability).
    with tracer.start_as_current_span("whatsapp read receipt") as span, _untraced_http():
        outcome = _post_receipt(url, body, token)
        span.set_attribute("hotelagent.outcome", outcome)
    return outcome


def _post_receipt(url: str, body: dict, token: str) -> str:
    try:
        response = httpx.post(url, json=body, headers={"Authorization": f"Bearer {token}"},
                              timeout=READ_RECEIPT_TIMEOUT)
    except httpx.TimeoutException:
        return "timeout"
    except httpx.HTTPError:
        return "error"
    return "sent" if response.status_code < 400 else "refused"


def _untraced_http():
    try:
        from opentelemetry.instrumentation.utils import suppress_http_instrumentation
    except ImportError:  # tracing is not installed: nothing to suppress
        return contextlib.nullcontext()
    return suppress_http_instrumentation()


def _first_read_receipt(inbound_id: int) -> bool:
    """Once per message, however many tasks a redelivery race starts."""
    try:
        return cache.add(f"whatsapp:read-receipt:{inbound_id}", "1", 3600)
    except Exception:  # no cache: one more receipt at worst
        return True


# --- the sweep's side: replies whose attempt went quiet ------------------------


def settle_lost_attempts(now: datetime.datetime | None = None) -> int:
    """Replies left `sending` longer than a call can take: sent if the journal
    knows Meta's id for them, otherwise `unknown`, due for a resend after
    WHATSAPP_UNKNOWN_RESEND_AFTER_SECONDS unless a status notification settles
    them first. Returns how many were settled either way."""
    now = now or timezone.now()
    quiet_since = now - datetime.timedelta(seconds=4 * settings.WHATSAPP_SEND_TIMEOUT + 30)
    stale = list(_replies().filter(status=Status.SENDING, attempt_started_at__lt=quiet_since)
                 .values_list("pk", "attempt_started_at")[:1000])
    journal = send_journal.wamids_for([pk for pk, _ in stale])
    resend_after = datetime.timedelta(seconds=settings.WHATSAPP_UNKNOWN_RESEND_AFTER_SECONDS)
    for pk, started_at in stale:
        current = _replies().filter(pk=pk, status=Status.SENDING)
        if pk in journal:
            current.update(status=Status.SENT, external_id=journal[pk], sent_at=started_at, error={})
            metrics.replies_resolved.labels(resolution="journal").inc()
            metrics.count_reply(pk, "whatsapp", metrics.SENT)
            logger.info("reply %s: outcome recovered from the send journal (%s)", pk, journal[pk])
        elif current.update(status=Status.UNKNOWN, next_attempt_at=started_at + resend_after,
                            error={"reason": "outcome_unknown"}):
            metrics.replies_resolved.labels(resolution="marked_unknown").inc()
            logger.warning("reply %s: outcome of the attempt at %s is unknown; resent at %s unless "
                           "Meta reports it", pk, started_at, started_at + resend_after)
    return len(stale)


def release_unknown(now: datetime.datetime | None = None) -> list[int]:
    """Unknown replies whose wait is over, back to `pending` (due now), except
    those the journal has learnt about meanwhile. Returns the ones to send."""
    now = now or timezone.now()
    due = list(_replies().filter(status=Status.UNKNOWN, next_attempt_at__lte=now)
               .values_list("pk", flat=True)[:1000])
    journal = send_journal.wamids_for(due)
    released = []
    for pk in due:
        current = _replies().filter(pk=pk, status=Status.UNKNOWN)
        if pk in journal:
            current.update(status=Status.SENT, external_id=journal[pk], sent_at=F("attempt_started_at"),
                           error={})
            metrics.replies_resolved.labels(resolution="journal").inc()
            metrics.count_reply(pk, "whatsapp", metrics.SENT)
        elif current.update(status=Status.PENDING, next_attempt_at=now,
                            error={"reason": "outcome_unknown", "resent": True}):
            logger.warning("reply %s: no word from Meta about its lost attempt; sending it again "
                           "(the guest may see it twice)", pk)
            metrics.replies_resolved.labels(resolution="resent").inc()
            released.append(pk)
    return released
