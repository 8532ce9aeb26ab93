"""Turns what a channel delivers into `UnifiedMessage`s, one shape for every channel.

WhatsApp batches entries × changes × messages in one delivery; each message
becomes one UnifiedMessage carrying the tenant it belongs to. The sender id is
opaque (Meta may stop using phone numbers as wa_id), so a phone is derived only
when the id really is one. Everything read here has been checked against the
envelope (`envelope.py`) first, so shapes and storability are no concern of this module.
"""
import datetime
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import phonenumbers

from security.log_context import bind_tenant
from security.validation import sanitize_text

from .envelope import Items, MalformedPayload, message_values
from .resolution import resolve_tenant

MAX_TEXT_LENGTH = 4096  # WhatsApp's own limit for a text body
_ITEM_KINDS = {"contacts": "contact", "messages": "message", "statuses": "status"}
CAPTIONED = ("image", "video", "document")
MEDIA_TYPES = ("image", "audio", "video", "document", "sticker", "location")


@dataclass(frozen=True)
class UnifiedMessage:
    tenant_slug: str
    tenant_id: int
    channel: str
    channel_account_id: int | None
    account_external_id: str
    message_id: str
    sender_id: str
    sender_phone: str
    sender_name: str
    text: str
    type: str
    timestamp: datetime.datetime
    reply_to_id: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # A media or location message's validated object (envelope.MediaSerializer, LocationSerializer).
    media: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class StatusUpdate:
    """A delivery status, as seen by the number that received it: it may only
    concern that number's own replies."""

    account_external_id: str
    message_id: str
    status: str
    timestamp: datetime.datetime
    recipient_id: str
    errors: list[dict[str, Any]]


@dataclass(frozen=True)
class DroppedItem:
    """A message, status or contact left out of a delivery because it does not fit."""

    kind: str
    where: str
    errors: Any


@dataclass(frozen=True)
class WhatsAppDelivery:
    messages: list[UnifiedMessage] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    dropped: list[DroppedItem] = field(default_factory=list)


@lru_cache(maxsize=4096)
def phone_from_sender(sender_id: str) -> str:
    """E.164 phone when the WhatsApp id is a valid international number, else ''.
    Kept for the guests writing now: parsing is a tenth of reading a delivery, and
    a conversation is many deliveries from one number."""
    if not sender_id.isdigit():
        return ""
    try:
        number = phonenumbers.parse("+" + sender_id, None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _plain(text: str, max_length: int) -> str:
    """Sanitized and cut: sanitize_text refuses what is too long, a guest's long text is cut instead."""
    return sanitize_text(text[: max_length * 2], max_length=max_length * 2)[:max_length]


def _text_of(message: dict[str, Any]) -> str:
    kind = message["type"]
    if kind == "text":
        body = message.get("text", {}).get("body", "")
    elif kind == "interactive":
        interactive = message.get("interactive", {})
        body = (interactive.get("button_reply") or interactive.get("list_reply") or {}).get("title", "")
    elif kind == "button":
        body = message.get("button", {}).get("text", "")
    elif kind in CAPTIONED:  # a caption is read as the guest's text
        body = message.get(kind, {}).get("caption", "")
    else:
        body = ""
    return _plain(body, MAX_TEXT_LENGTH)


def _unified(message: dict[str, Any], *, account_id: str, names: dict[str, str]) -> UnifiedMessage:
    sender_id = message["from"]
    sender_phone = phone_from_sender(sender_id)
    resolved = resolve_tenant("whatsapp", account_id, sender_phone=sender_phone)
    bind_tenant(resolved.tenant_slug, channel="whatsapp", message_type=message["type"])
    return UnifiedMessage(
        tenant_slug=resolved.tenant_slug,
        tenant_id=resolved.tenant_id,
        channel="whatsapp",
        channel_account_id=resolved.channel_account_id,
        account_external_id=account_id,
        message_id=message["id"],
        sender_id=sender_id,
        sender_phone=sender_phone,
        sender_name=_plain(names.get(sender_id, ""), 150),
        text=_text_of(message),
        type=message["type"],
        timestamp=message["timestamp"],
        reply_to_id=message.get("context", {}).get("id", ""),
        raw=message["raw"],
        media=message.get(message["type"], {}) if message["type"] in MEDIA_TYPES else {},
    )


def _status(status: dict[str, Any], *, account_id: str) -> StatusUpdate:
    return StatusUpdate(
        account_external_id=account_id,
        message_id=status["id"],
        status=status["status"],
        timestamp=status["timestamp"],
        recipient_id=status["recipient_id"],
        errors=status["errors"],
    )


def _dropped(kind: str, where: str, items: Items) -> list[DroppedItem]:
    return [DroppedItem(kind, f"{where}[{item.index}]", item.errors) for item in items.rejected]


def whatsapp_delivery(payload: Any) -> WhatsAppDelivery:
    """Everything a delivery carries, minus the items that do not fit the
    envelope (listed in `dropped`); MalformedPayload when the envelope itself does not."""
    delivery = WhatsAppDelivery()
    for where, value in message_values(payload):
        account_id = value["metadata"]["phone_number_id"]
        names = {c["wa_id"]: c.get("profile", {}).get("name", "") for c in value["contacts"].accepted}
        delivery.messages.extend(
            _unified(m, account_id=account_id, names=names) for m in value["messages"].accepted
        )
        delivery.statuses.extend(_status(s, account_id=account_id) for s in value["statuses"].accepted)
        for key, kind in _ITEM_KINDS.items():
            delivery.dropped.extend(_dropped(kind, f"{where}.value.{key}", value[key]))
    return delivery


def _whatsapp_messages(payload: Any) -> list[UnifiedMessage]:
    return whatsapp_delivery(payload).messages


class MessageGateway:
    """Entry point for every channel's normalization."""

    normalizers = {"whatsapp": _whatsapp_messages}

    @classmethod
    def normalize(cls, channel: str, payload: Any) -> list[UnifiedMessage]:
        try:
            normalizer = cls.normalizers[channel]
        except KeyError:
            raise MalformedPayload(f"unknown channel {channel!r}") from None
        return normalizer(payload)
