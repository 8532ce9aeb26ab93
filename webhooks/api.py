from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from reservations.api.base import TenantApiView
from reservations.api.schema import INVALID_BODY, UNAUTHENTICATED
from security.audit import client_ip
from security.authentication import (
    SIGNATURE_HEADER,
    TENANT_HEADER,
    ApiKeyAuthentication,
    WebhookSignatureAuthentication,
)

from .gateway import MAX_TEXT_LENGTH
from .webchat import WEB_CHANNEL, web_message_reply


class MessageInput(serializers.Serializer):
    sender = serializers.CharField(max_length=128, help_text="The guest's id in your website's chat.")
    text = serializers.CharField(max_length=MAX_TEXT_LENGTH)
    channel = serializers.ChoiceField(choices=[WEB_CHANNEL], default=WEB_CHANNEL)
    message_id = serializers.CharField(
        max_length=255, required=False, help_text="Optional; resending the same id replays the reply."
    )


class MessageOutput(serializers.Serializer):
    reply = serializers.CharField(help_text="Empty while the conversation is with a member of staff.")
    conversation = serializers.CharField(allow_null=True)


class WebhookSignatureScheme(OpenApiAuthenticationExtension):
    """Describes security.authentication.WebhookSignatureAuthentication: both headers together."""

    target_class = "security.authentication.WebhookSignatureAuthentication"
    name = ["WebhookSignature", "WebhookTenant"]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "apiKey", "in": "header", "name": SIGNATURE_HEADER,
             "description": "`sha256=<hex HMAC-SHA256 of the raw request body under the hotel's webhook "
                            "secret>`; the previous secret still verifies for 24 hours after a rotation."},
            {"type": "apiKey", "in": "header", "name": TENANT_HEADER,
             "description": "The hotel's slug, e.g. `hotel-sol`; required with the signature."},
        ]

    def get_security_requirement(self, auto_schema):
        return {"WebhookSignature": [], "WebhookTenant": []}


class MessageView(TenantApiView):
    """The website chat: one guest message in, the agent's reply out. The website
    authenticates with the hotel's API key or signs the body with its webhook secret."""

    authentication_classes = [WebhookSignatureAuthentication, ApiKeyAuthentication]

    @extend_schema(
        operation_id="message_create",
        request=MessageInput,
        responses={200: MessageOutput, 400: INVALID_BODY, 401: UNAUTHENTICATED},
        examples=[
            OpenApiExample("Ask for rooms", request_only=True, value={
                "sender": "visitor-42", "text": "¿Tienen habitación del 12 al 14 de marzo?",
                "channel": "web",
            }),
            OpenApiExample("Agent reply", response_only=True, value={
                "reply": "Del 12 al 14 de marzo (2 noches) tenemos…", "conversation": "17",
            }),
        ],
        summary="Talk to the hotel's agent from a website chat",
        description=(
            "Authenticated by the hotel's API key, or instead signed: `X-Signature-256: sha256=<hex "
            "HMAC-SHA256 of the raw body under the hotel's webhook secret>` with `X-Tenant: <hotel slug>`."
        ),
    )
    def post(self, request: Request) -> Response:
        data = MessageInput(data=request.data)
        data.is_valid(raise_exception=True)
        reply = web_message_reply(
            tenant=self.tenant, sender=data.validated_data["sender"],
            text=data.validated_data["text"], message_id=data.validated_data.get("message_id", ""),
            ip_address=client_ip(request._request),
        )
        conversation = str(reply.conversation_id) if reply.conversation_id else None
        return Response(MessageOutput({"reply": reply.text, "conversation": conversation}).data)
