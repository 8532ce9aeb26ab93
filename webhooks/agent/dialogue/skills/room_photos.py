""""¿tenéis fotos de la habitación?", "can I see pictures of the suite?": each
room type's photo (RoomType.photo_url) as a WhatsApp image, its name and price
as the caption. On the web chat, or for rooms without a photo, the link or a
description instead; a named room alone when the guest names one."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from ....outbound_media import media_for_link
from ...reply import Reply
from ...understanding.text import fold
from ..turn import Turn
from . import repair

PHOTO_WORDS = re.compile(r"\b(fotos?|fotografias?|imagen(es)?|pictures?|photos?|pics?|images?)\b")
MAX_PHOTOS = 5  # one message each: more would flood the chat


def asks_for_photos(turn: Turn) -> bool:
    return bool(PHOTO_WORDS.search(fold(turn.reading.text)))


def answer(turn: Turn) -> list[Reply]:
    named = getattr(turn.reading.room_question, "code", None) or turn.reading.room_code
    room_types = [rt for rt in turn.room_types if not named or rt.code == named] or list(turn.room_types)
    with_photo = [rt for rt in room_types if getattr(rt, "photo_url", "")][:MAX_PHOTOS]
    if not with_photo:
        return [turn.say("photos_none"), *repair.pending_question(turn)]
    replies = []
    for room_type in with_photo:
        caption = turn.say("photo_caption", room=turn.room_label(room_type.code),
                           max_guests=room_type.max_guests)
        try:
            media = media_for_link(room_type.photo_url, caption=str(caption))
        except ValidationError:
            media = None
        if turn.conversation.channel != "whatsapp" or media is None or media["type"] != "image":
            replies.append(Reply(f"{caption}\n{room_type.photo_url}"))
        else:
            replies.append(Reply(str(caption), media=media))
    return [*replies, turn.say("photos_next"), *repair.pending_question(turn)]
