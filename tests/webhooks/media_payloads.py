"""Guests' media and location messages as Meta delivers them (the Cloud API's
webhook reference: image, audio, video, document, sticker and location objects),
and files small enough to read, with the first bytes of their type."""
import time

from . import payloads

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
OGG = b"OggS\x00\x02" + b"\x00" * 300
PDF = b"%PDF-1.7\n" + b"0" * 300
WEBP = b"RIFF\x00\x01\x00\x00WEBPVP8 " + b"\x00" * 100
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200


def _message(wamid: str, kind: str, body: dict, sender: str) -> dict:
    return {"from": sender, "id": wamid, "timestamp": str(int(time.time())), "type": kind, kind: body}


def image(wamid: str, media_id: str, *, caption: str = "", mime_type: str = "image/jpeg",
          sender: str = payloads.GUEST) -> dict:
    body = {"mime_type": mime_type, "sha256": "ZmFrZS1zaGE=", "id": media_id}
    return _message(wamid, "image", {**body, "caption": caption} if caption else body, sender)


def voice_note(wamid: str, media_id: str, *, sender: str = payloads.GUEST) -> dict:
    return _message(wamid, "audio", {"mime_type": "audio/ogg; codecs=opus", "sha256": "b2dn", "id": media_id,
                                     "voice": True}, sender)


def video(wamid: str, media_id: str, *, sender: str = payloads.GUEST) -> dict:
    return _message(wamid, "video", {"mime_type": "video/mp4", "sha256": "dmlk", "id": media_id}, sender)


def document(wamid: str, media_id: str, *, filename: str = "reserva.pdf", caption: str = "",
             mime_type: str = "application/pdf", sender: str = payloads.GUEST) -> dict:
    body = {"filename": filename, "mime_type": mime_type, "sha256": "cGRm", "id": media_id}
    return _message(wamid, "document", {**body, "caption": caption} if caption else body, sender)


def sticker(wamid: str, media_id: str, *, sender: str = payloads.GUEST) -> dict:
    return _message(wamid, "sticker", {"mime_type": "image/webp", "sha256": "c3Rr", "id": media_id,
                                       "animated": False}, sender)


def location(wamid: str, *, latitude: float = 40.416775, longitude: float = -3.70379, name: str = "",
             address: str = "", sender: str = payloads.GUEST) -> dict:
    body = {"latitude": latitude, "longitude": longitude}
    if name:
        body["name"] = name
    if address:
        body["address"] = address
    return _message(wamid, "location", body, sender)


def deliver(client, *messages, number_id: str = payloads.SOL_NUMBER_ID, sender: str = payloads.GUEST,
            name: str = "Ana"):
    change = payloads.change(number_id, messages=messages, sender=sender, name=name)
    return payloads.post(client, payloads.delivery(change))
