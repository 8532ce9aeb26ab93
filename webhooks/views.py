"""The WhatsApp Cloud API webhook.

POST verifies the signature over the raw bytes before parsing anything, checks
the envelope, stores every message and status of the delivery, enqueues
processing and answers 200. A valid signed delivery never gets 429 or 5xx: Meta
would retry for days and may disable the subscription. Throttling happens later,
in the worker. A signed delivery that does not fit the envelope gets 400 and
nothing of it is stored; one that fits but carries a bad message or status gets
200 for the rest. Both are audited, as is a status about another number's reply.

It is a plain Django view, not DRF's: the body is Meta's, read raw for the
signature and validated by `envelope.py`, so DRF's request wrapping, content
negotiation and renderer had nothing to do but cost a tenth of a delivery.
Answers are compact JSON, as DRF wrote them.

Under gunicorn most deliveries never get here: the WSGI front
(hotelagent/intake_wsgi.py) answers a plain signed delivery with the same
reading, storing and queueing (fast_path.py) and sends everything else on to it.
"""
import hmac
import json
import logging
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from security import audit
from security.throttle import count_in_window
from security.validation import storable_json

from .fast_path import answer, read_delivery, store_and_queue
from .gateway import DroppedItem, MalformedPayload, StatusUpdate
from .intake import StatusOutcome, apply_status
from .signature import signature_is_valid

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "HTTP_X_HUB_SIGNATURE_256"
MAX_REPORTED_ITEMS = 20
MAX_REPORTED_CHARS = 4000


@method_decorator(csrf_exempt, name="dispatch")  # Meta signs its deliveries; there is no session
class WhatsAppWebhookView(View):
    http_method_names = ["get", "post", "head", "options"]

    def get(self, request: HttpRequest) -> HttpResponse:
        params = request.GET
        token = params.get("hub.verify_token", "")
        if (
            params.get("hub.mode") == "subscribe"
            and settings.WHATSAPP_VERIFY_TOKEN
            and _same(token, settings.WHATSAPP_VERIFY_TOKEN)
        ):
            return HttpResponse(params.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponse("Forbidden", status=HTTPStatus.FORBIDDEN, content_type="text/plain")

    def post(self, request: HttpRequest) -> HttpResponse:
        body = request.body  # raw bytes: the signature covers exactly these
        header = request.META.get(SIGNATURE_HEADER, "")
        if not signature_is_valid(settings.WHATSAPP_APP_SECRET, body, header):
            return _refuse(request, missing=not header)
        try:
            delivery = read_delivery(body)
        except MalformedPayload as exc:
            return _invalid(request, exc.detail)
        stored = store_and_queue(delivery.messages)
        foreign = [update for update in delivery.statuses if apply_status(update) is StatusOutcome.FOREIGN]
        _audit_refusals(request, foreign=foreign, dropped=delivery.dropped)
        return _json(answer(delivery, stored))

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = _json({"detail": f'Method "{request.method}" not allowed.'}, HTTPStatus.METHOD_NOT_ALLOWED)
        response["Allow"] = ", ".join(method.upper() for method in self._allowed_methods())
        return response


def _json(data: Any, status: int = HTTPStatus.OK) -> JsonResponse:
    """Compact, as DRF wrote it; non-ASCII escaped, so nothing can fail to encode."""
    return JsonResponse(data, status=status, json_dumps_params={"separators": (",", ":")})


def _audit_refusals(request: HttpRequest, *, foreign: list[StatusUpdate], dropped: list[DroppedItem]) -> None:
    """A status naming another number's reply could be one hotel probing another's;
    an item that does not fit is a guest's message we will never answer."""
    for update in foreign:
        _suspicious(request, "webhook_status_foreign_account", {
            "receiving_account": update.account_external_id, "message_id": update.message_id,
            "status": update.status,
        })
    if dropped:
        _suspicious(request, "webhook_items_invalid", {"count": len(dropped), "dropped": _reportable([
            {"kind": item.kind, "where": item.where, "errors": item.errors}
            for item in dropped[:MAX_REPORTED_ITEMS]
        ])})


def _invalid(request: HttpRequest, detail: Any) -> HttpResponse:
    """400 for a signed delivery that does not fit the envelope: nothing of it is
    stored. It is audited: Meta does not send these, so the secret may be out."""
    detail = _reportable(detail)
    _suspicious(request, "webhook_payload_invalid", {"errors": detail})
    return _json({"error": "invalid_payload", "detail": detail}, HTTPStatus.BAD_REQUEST)


def _reportable(detail: Any) -> Any:
    """Validation errors as we can store and render them: cleaned, and cut when a
    delivery of thousands of bad entries would make them megabytes."""
    detail = storable_json(detail)
    text = json.dumps(detail)
    return detail if len(text) <= MAX_REPORTED_CHARS else {"truncated": text[:MAX_REPORTED_CHARS]}


def _suspicious(request: HttpRequest, action: str, details: dict[str, Any]) -> None:
    """Audited in no hotel's chain: what a delivery did wrong may concern two hotels."""
    audit.record(
        audit.Type.SUSPICIOUS_ACTIVITY, action=action, actor="whatsapp",
        ip_address=audit.client_ip(request), resource="webhooks/whatsapp", details=details,
    )


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _refuse(request: HttpRequest, *, missing: bool) -> HttpResponse:
    """401 without a signature, 403 with a wrong one, both audited; an address that
    keeps failing gets 429 (it is not Meta) and stops filling the audit log."""
    ip = audit.client_ip(request)
    if count_in_window(f"webhook-bad-signature:{ip}", timezone.now()) > settings.INBOUND_MESSAGES_PER_MINUTE:
        return _json({"error": "too_many_requests"}, HTTPStatus.TOO_MANY_REQUESTS)
    audit.record(
        audit.Type.SUSPICIOUS_ACTIVITY, action="webhook_signature_missing" if missing
        else "webhook_signature_invalid", actor="anonymous", ip_address=ip,
        resource="webhooks/whatsapp", details={"body_bytes": len(request.body)},
    )
    if missing:
        return _json({"error": "signature_missing"}, HTTPStatus.UNAUTHORIZED)
    return _json({"error": "signature_invalid"}, HTTPStatus.FORBIDDEN)
