"""Turns what a channel delivers into `UnifiedMessage`s, one shape for every channel.

WhatsApp batches entries × changes × messages in one delivery; each message
becomes one UnifiedMessage carrying the tenant it belongs to. The sender id is
opaque (Meta may stop using phone numbers as wa_id), so a phone is derived only
when the id really is one.
"""
import datetime
from dataclasses import dataclass, field
from typing import Any

import phonenumbers

from security.validation import sanitize_text

from .resolution import resolve_tenant

MAX_TEXT_LENGTH = 4096  # WhatsApp's own limit for a text body


class MalformedPayload(ValueError):
    """The body is JSON but not the channel's envelope."""


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


@dataclass(frozen=True)
class StatusUpdate:
    message_id: str
    status: str
    timestamp: datetime.datetime
    recipient_id: str
    errors: list[dict[str, Any]]


def phone_from_sender(sender_id: str) -> str:
    """E.164 phone when the WhatsApp id is a valid international number, else ''."""
    if not sender_id.isdigit():
        return ""
    try:
        number = phonenumbers.parse("+" + sender_id, None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _timestamp(value: Any) -> datetime.datetime:
    try:
        return datetime.datetime.fromtimestamp(int(value), tz=datetime.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise MalformedPayload("timestamp is not an epoch") from None


def _text_of(message: dict[str, Any]) -> str:
    kind = message.get("type")
    if kind == "text":
        body = (message.get("text") or {}).get("body", "")
    elif kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        body = reply.get("title", "")
    elif kind == "button":
        body = (message.get("button") or {}).get("text", "")
    else:
        body = ""
    if not isinstance(body, str):
        raise MalformedPayload("text body is not a string")
    return sanitize_text(body[: MAX_TEXT_LENGTH * 2], max_length=MAX_TEXT_LENGTH * 2)[:MAX_TEXT_LENGTH]


def _changes(payload: Any):
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        raise MalformedPayload("not a WhatsApp Business Account notification")
    entries = payload.get("entry")
    if not isinstance(entries, list):
        raise MalformedPayload("entry must be a list")
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("changes", []), list):
            raise MalformedPayload("entry must be an object with a list of changes")
        for change in entry.get("changes", []):
            if not isinstance(change, dict):
                raise MalformedPayload("change must be an object")
            value = change.get("value")
            if change.get("field") != "messages" or not isinstance(value, dict):
                continue
            yield value


def _whatsapp_messages(payload: Any) -> list[UnifiedMessage]:
    messages = []
    for value in _changes(payload):
        account_id = str((value.get("metadata") or {}).get("phone_number_id", ""))
        names = {
            str(contact.get("wa_id", "")): (contact.get("profile") or {}).get("name", "")
            for contact in value.get("contacts") or []
            if isinstance(contact, dict)
        }
        for message in value.get("messages") or []:
            if not isinstance(message, dict) or not message.get("id") or not message.get("from"):
                raise MalformedPayload("message without id or sender")
            sender_id = str(message["from"])[:128]
            sender_phone = phone_from_sender(sender_id)
            resolved = resolve_tenant("whatsapp", account_id, sender_phone=sender_phone)
            name = names.get(sender_id, "")
            messages.append(UnifiedMessage(
                tenant_slug=resolved.tenant_slug,
                tenant_id=resolved.tenant_id,
                channel="whatsapp",
                channel_account_id=resolved.channel_account_id,
                account_external_id=account_id[:128],
                message_id=str(message["id"])[:255],
                sender_id=sender_id,
                sender_phone=sender_phone,
                sender_name=sanitize_text(name if isinstance(name, str) else "", max_length=1000)[:150],
                text=_text_of(message),
                type=str(message.get("type", "unknown"))[:32],
                timestamp=_timestamp(message.get("timestamp")),
                reply_to_id=str((message.get("context") or {}).get("id", ""))[:255],
                raw=message,
            ))
    return messages


def whatsapp_statuses(payload: Any) -> list[StatusUpdate]:
    updates = []
    for value in _changes(payload):
        for status in value.get("statuses") or []:
            if not isinstance(status, dict) or not status.get("id") or not status.get("status"):
                raise MalformedPayload("status without id")
            errors = status.get("errors") or []
            updates.append(StatusUpdate(
                message_id=str(status["id"])[:255],
                status=str(status["status"]),
                timestamp=_timestamp(status.get("timestamp")),
                recipient_id=str(status.get("recipient_id", ""))[:128],
                errors=errors if isinstance(errors, list) else [],
            ))
    return updates


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
