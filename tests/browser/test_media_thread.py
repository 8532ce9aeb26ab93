"""A receptionist sees the guest's photo, a player for the voice note with its
transcript, the document and the location in the thread."""
import struct
import zlib

from django.core.files.base import ContentFile
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.browser.conftest import sign_in
from tests.factories import ConversationFactory, InboundMessageFactory
from webhooks.models import MessageMedia


def png(width: int = 320, height: int = 200) -> bytes:
    """A real PNG (a blue-to-green gradient), so the browser has something to draw."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes((40, 90 + y % 120, 200 - y % 120) * width) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def received(conversation, kind, *, content=b"", text="", **fields):
    inbound = InboundMessageFactory(conversation=conversation, message_type=kind, text=text)
    with scopes_disabled():
        media = MessageMedia(tenant=conversation.tenant, inbound=inbound, kind=kind, **fields)
        if content:
            media.file.save(f"{kind}.bin", ContentFile(content), save=False)
            media.status, media.size = MessageMedia.Status.DOWNLOADED, len(content)
        media.save()
    return media


def test_front_desk_sees_the_guests_photo_voice_note_document_and_location(page, front_desk, tenant, settings,
                                                                         tmp_path):
    settings.MEDIA_ROOT = tmp_path
    conversation = ConversationFactory(tenant=tenant, guest_name="Marta Ruiz")
    received(conversation, "image", content=png(), mime_type="image/png", text="¿Es esta la habitación?")
    received(conversation, "audio", content=b"OggS" + b"\x00" * 100, mime_type="audio/ogg",
             transcript="¿Podemos dejar las maletas antes del check-in?")
    received(conversation, "document", content=b"%PDF-1.7\n", mime_type="application/pdf",
             filename="pasaporte.pdf")
    received(conversation, "location", latitude="40.416775", longitude="-3.703790",
             place_name="Puerta del Sol", place_address="Puerta del Sol, Madrid",
             status=MessageMedia.Status.NOTHING)
    sign_in(page, "lucia")

    page.open(reverse("admin:webhooks_conversation_change", args=[conversation.pk]))

    image = page.wait_for(".thread .media.image img")
    assert page.driver.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth", image) == 320
    assert page.find(".thread .media.audio audio").get_attribute("controls")
    assert "maletas" in page.find(".thread .media.audio .transcript").text
    assert page.find(".thread .media.document a").text == "📄 pasaporte.pdf"
    assert "google.com/maps" in page.find(".thread .media.location a").get_attribute("href")
    page.shot("conversation-media")
