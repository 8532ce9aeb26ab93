"""What the guest sent instead of words: a photo, a video, a document or a
sticker is acknowledged (staff see it in the thread), a voice note without a
transcript gets "please write it", and a location gets its map link and the
way from there to the hotel. A caption or a transcript never reaches here: it
is read as text."""
from __future__ import annotations

from urllib.parse import quote_plus

from webhooks.models import MessageMedia

from ...reply import Reply
from ..turn import Turn

Kind = MessageMedia.Kind


def answer(turn: Turn, kind: str, media: MessageMedia | None) -> list[Reply]:
    if kind == Kind.AUDIO:
        return [turn.say("audio_unheard")]
    if kind == Kind.LOCATION and media is not None and media.map_url:
        return [turn.say("location_received", **_place(turn, media))]
    return [turn.say("attachment_received", kind=kind)]


def _place(turn: Turn, media: MessageMedia) -> dict:
    address = " ".join(turn.tenant.address.split())
    route = ""
    if address:
        route = (f"https://www.google.com/maps/dir/?api=1&origin={media.latitude},{media.longitude}"
                 f"&destination={quote_plus(address)}")
    return {
        "place_name": media.place_name, "place_address": media.place_address, "map_url": media.map_url,
        "route_url": route, "directions": turn.tenant.directions.strip(),
    }
