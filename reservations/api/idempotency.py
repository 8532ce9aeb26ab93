"""`Idempotency-Key` for POSTs that create something.

The first request with a key claims it by committing an in-flight row (no
status yet) in a transaction of its own, so a concurrent duplicate finds the row
and is told to retry (409 with Retry-After) instead of booking twice. A final
outcome, a success or a refusal such as 400 or 403, is then stored in the same
transaction as the booking itself: either both commit or neither does. Retries
with the same key and body get that stored response back; the same key with
another body is a client bug (422).

Like pretix, answers that are *meant* to be retried are not kept: a 409 (no room
now, the guest's limit, a busy lock), a 429 and every 5xx (503: the PMS is down)
release the key, so the retry is answered afresh and books once the room is
free again instead of replaying a stale refusal.

Because of that shared transaction, a row still in flight long after it was
claimed belongs to a worker that died mid-request without booking anything; the
next retry takes the key over instead of being told to wait forever.
"""
import datetime
import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from security.locking import retry_after_seconds

from ..models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"
ABANDONED_AFTER = datetime.timedelta(minutes=5)  # far beyond any worker timeout
RETRYABLE = {status.HTTP_409_CONFLICT, status.HTTP_429_TOO_MANY_REQUESTS}


def key_from(request: Request) -> str | None:
    """The request's idempotency key, None without the header, ValidationError (400) if malformed."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not key.strip():
        raise ValidationError({HEADER: [_("This header may not be blank.")]})
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationError({HEADER: [
            _("Ensure this header has at most %(max)d characters (it has %(length)d).")
            % {"max": MAX_KEY_LENGTH, "length": len(key)}
        ]})
    if not key.isprintable():
        raise ValidationError({HEADER: [_("This header may only contain printable characters.")]})
    return key


def client_reference(*, tenant, key: str | None) -> str:
    """What an external PMS sees as this booking's reference: the same for every
    retry with this key, so a booking that reached the PMS before a timeout is
    found there instead of being made twice. Empty without a key."""
    if key is None:
        return ""
    return hashlib.sha256(f"{tenant.pk}:{key}".encode()).hexdigest()[:32]


def fingerprint_of(body) -> str:
    """sha256 of the body as canonical JSON: key order and whitespace do not count."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def claim(*, tenant, key: str, fingerprint: str) -> IdempotentRequest | None:
    """The new in-flight row, or None when an earlier request holds the key."""
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(tenant=tenant, key=key, fingerprint=fingerprint)
    except IntegrityError:
        return None


def release_if_abandoned(*, tenant, key: str) -> bool:
    abandoned = IdempotentRequest.objects.with_scope(tenant=tenant).filter(
        key=key, response_status__isnull=True, created_at__lt=timezone.now() - ABANDONED_AFTER
    )
    deleted, _ = abandoned.delete()
    return deleted > 0


def earlier_response(*, tenant, key: str, fingerprint: str) -> Response:
    earlier = IdempotentRequest.objects.with_scope(tenant=tenant).filter(key=key).first()
    if earlier is not None and earlier.fingerprint != fingerprint:
        return Response({"error": "idempotency_key_reused"}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if earlier is None or earlier.response_status is None:
        # Still running, or it failed and released the key a moment ago: retry.
        return Response(
            {"error": "idempotency_request_in_progress"}, status=status.HTTP_409_CONFLICT,
            headers={"Retry-After": str(retry_after_seconds())},
        )
    return Response(
        earlier.response_body, status=earlier.response_status, headers={REPLAYED_HEADER: "true"}
    )


def is_final(response: Response) -> bool:
    """Whether a retry must get this answer again, rather than a fresh one."""
    return response.status_code < 500 and response.status_code not in RETRYABLE


def store(pending: IdempotentRequest, response: Response) -> None:
    pending.response_status = response.status_code
    pending.response_body = response.data
    pending.save(update_fields=["response_status", "response_body"])


def respond_once(*, tenant, key: str, body, respond: Callable[[], Response]) -> Response:
    """`respond()` for the first request with this key; the stored outcome for its retries.

    `respond` must turn expected failures into responses; anything it raises is
    unexpected, releases the key and propagates. An answer that is not final
    releases the key too (see the module's docstring)."""
    fingerprint = fingerprint_of(body)
    pending = claim(tenant=tenant, key=key, fingerprint=fingerprint)
    if pending is None and release_if_abandoned(tenant=tenant, key=key):
        pending = claim(tenant=tenant, key=key, fingerprint=fingerprint)
    if pending is None:
        return earlier_response(tenant=tenant, key=key, fingerprint=fingerprint)
    try:
        with transaction.atomic():
            response = respond()
            if is_final(response):
                store(pending, response)
    except Exception:
        pending.delete()
        raise
    if not is_final(response):
        pending.delete()
    return response
