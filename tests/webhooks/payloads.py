"""Realistic WhatsApp Cloud API webhook payloads (shapes from Meta's documentation)."""
import json
import time

from webhooks.signature import expected_signature

SOL_NUMBER_ID = "100000000000001"
HARBOR_NUMBER_ID = "100000000000002"
GUEST = "34612345678"
APP_SECRET = "test-app-secret"


def text(wamid: str, body: str, *, sender: str = GUEST, timestamp: int | None = None) -> dict:
    return {
        "from": sender, "id": wamid, "timestamp": str(timestamp or int(time.time())),
        "text": {"body": body}, "type": "text",
    }


def image(wamid: str, *, sender: str = GUEST) -> dict:
    return {
        "from": sender, "id": wamid, "timestamp": str(int(time.time())), "type": "image",
        "image": {"caption": "la habitación", "mime_type": "image/jpeg",
                  "sha256": "a3f5c0ffee", "id": "1479537139650973"},
    }


def status(wamid: str, state: str, *, timestamp: int, recipient: str = GUEST, errors=None) -> dict:
    update = {
        "id": wamid, "status": state, "timestamp": str(timestamp), "recipient_id": recipient,
        "conversation": {"id": "CONVERSATION_ID", "origin": {"type": "service"}},
        "pricing": {"billable": True, "pricing_model": "CBP", "category": "service"},
    }
    if errors:
        update["errors"] = errors
    return update


def change(number_id: str, *, messages=(), statuses=(), sender: str = GUEST, name: str = "Ana") -> dict:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "34910000001", "phone_number_id": number_id},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": name}, "wa_id": sender}]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {"field": "messages", "value": value}


def delivery(*changes: dict) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [c]} for c in changes],
    }


def signed(payload: dict | bytes, secret: str = APP_SECRET) -> tuple[bytes, str]:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return body, expected_signature(secret, body)


def post(client, payload: dict | bytes, *, secret: str = APP_SECRET, **headers):
    body, signature = signed(payload, secret)
    headers.setdefault("HTTP_X_HUB_SIGNATURE_256", signature)
    return client.post("/webhooks/whatsapp/", data=body, content_type="application/json", **headers)
