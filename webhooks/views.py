"""The WhatsApp Cloud API webhook.

POST verifies the signature over the raw bytes before parsing anything, stores
every message and status of the delivery, enqueues processing and answers 200.
A valid signed delivery never gets 429 or 5xx: Meta would retry for days and
may disable the subscription. Throttling happens later, in the worker.
"""
import hmac
import json
import logging

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from security import audit

from .gateway import MalformedPayload, MessageGateway, whatsapp_statuses
from .intake import apply_status, store_inbound
from .models import InboundMessage
from .signature import signature_is_valid
from .tasks import enqueue, process_inbound_message
from .throttle import count_in_window

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "HTTP_X_HUB_SIGNATURE_256"


class WhatsAppWebhookView(APIView):
    schema = None  # Meta's contract, not ours: documented in the README, not in /api/schema/
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes: list = []

    def get(self, request: Request) -> HttpResponse:
        params = request.query_params
        token = params.get("hub.verify_token", "")
        if (
            params.get("hub.mode") == "subscribe"
            and settings.WHATSAPP_VERIFY_TOKEN
            and _same(token, settings.WHATSAPP_VERIFY_TOKEN)
        ):
            return HttpResponse(params.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponse("Forbidden", status=status.HTTP_403_FORBIDDEN, content_type="text/plain")

    def post(self, request: Request) -> Response:
        body = request._request.body  # raw bytes: the signature covers exactly these
        header = request.META.get(SIGNATURE_HEADER, "")
        if not signature_is_valid(settings.WHATSAPP_APP_SECRET, body, header):
            return _refuse(request, missing=not header)
        try:
            payload = json.loads(body)
            messages = MessageGateway.normalize("whatsapp", payload)
            statuses = whatsapp_statuses(payload)
        except (ValueError, MalformedPayload) as exc:
            return Response({"error": "invalid_payload", "detail": str(exc)[:200]},
                            status=status.HTTP_400_BAD_REQUEST)
        stored = [row for row in map(store_inbound, messages) if row is not None]
        for update in statuses:
            apply_status(update)
        for row in stored:  # each row committed in store_inbound: safe to hand to a worker
            if row.status == InboundMessage.Status.RECEIVED:
                enqueue(process_inbound_message, row.pk)
        return Response({"received": len(messages), "stored": len(stored), "statuses": len(statuses)})


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _refuse(request: Request, *, missing: bool) -> Response:
    """401 without a signature, 403 with a wrong one, both audited; an address that
    keeps failing gets 429 (it is not Meta) and stops filling the audit log."""
    ip = audit.client_ip(request._request)
    if count_in_window(f"webhook-bad-signature:{ip}", timezone.now()) > settings.INBOUND_MESSAGES_PER_MINUTE:
        return Response({"error": "too_many_requests"}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    audit.record(
        audit.Type.SUSPICIOUS_ACTIVITY, action="webhook_signature_missing" if missing
        else "webhook_signature_invalid", actor="anonymous", ip_address=ip,
        resource="webhooks/whatsapp", details={"body_bytes": len(request._request.body)},
    )
    if missing:
        return Response({"error": "signature_missing"}, status=status.HTTP_401_UNAUTHORIZED)
    return Response({"error": "signature_invalid"}, status=status.HTTP_403_FORBIDDEN)
