"""A guest's image, voice note, video, document, sticker or location is stored
with its metadata; a caption becomes the message's text."""
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from webhooks.models import InboundMessage, MessageMedia

from . import media_payloads as media
from . import payloads

pytestmark = pytest.mark.django_db


def stored_media() -> MessageMedia:
    with scopes_disabled():
        return MessageMedia.objects.select_related("inbound").get()


def test_an_image_is_stored_with_its_caption_which_is_read_as_text(meta, hotel_sol, no_processing):
    media.deliver(meta, media.image("wamid.img", "IMG1", caption="¿Es esta la habitación doble?"))

    stored = stored_media()
    assert (stored.kind, stored.media_id, stored.mime_type) == ("image", "IMG1", "image/jpeg")
    assert stored.caption == "¿Es esta la habitación doble?"
    assert stored.inbound.text == "¿Es esta la habitación doble?"
    assert stored.status == MessageMedia.Status.PENDING
    assert stored.tenant == hotel_sol


def test_a_voice_note_is_stored_as_audio_to_download(meta, hotel_sol, no_processing):
    media.deliver(meta, media.voice_note("wamid.voice", "AUD1"))

    stored = stored_media()
    assert (stored.kind, stored.media_id, stored.mime_type) == ("audio", "AUD1", "audio/ogg; codecs=opus")
    assert stored.inbound.text == ""


def test_a_document_keeps_its_file_name(meta, hotel_sol, no_processing):
    media.deliver(meta, media.document("wamid.doc", "DOC1", filename="confirmación.pdf"))

    stored = stored_media()
    assert (stored.kind, stored.filename) == ("document", "confirmación.pdf")
    assert stored.mime_type == "application/pdf"


@pytest.mark.parametrize("message, kind", [
    (media.video("wamid.vid", "VID1"), "video"),
    (media.sticker("wamid.stk", "STK1"), "sticker"),
])
def test_videos_and_stickers_are_stored_to_download(meta, hotel_sol, no_processing, message, kind):
    media.deliver(meta, message)

    stored = stored_media()
    assert (stored.kind, stored.status) == (kind, MessageMedia.Status.PENDING)
    assert stored.media_id == message[kind]["id"]


def test_a_location_is_stored_with_its_coordinates_name_and_address(meta, hotel_sol, no_processing):
    media.deliver(meta, media.location("wamid.loc", latitude=36.719444, longitude=-4.42,
                                       name="Estación María Zambrano", address="Explanada, Málaga"))

    stored = stored_media()
    assert stored.kind == "location"
    assert (stored.latitude, stored.longitude) == (Decimal("36.719444"), Decimal("-4.420000"))
    assert (stored.place_name, stored.place_address) == ("Estación María Zambrano", "Explanada, Málaga")
    assert stored.status == MessageMedia.Status.NOTHING  # nothing to download


def test_a_location_without_plausible_coordinates_is_set_aside(meta, hotel_sol, no_processing):
    response = media.deliver(meta, media.location("wamid.bad", latitude=123.0))

    assert response.json()["dropped"] == 1
    with scopes_disabled():
        assert not InboundMessage.objects.exists()


def test_a_text_message_has_no_media(meta, hotel_sol, no_processing):
    payloads.post(meta, payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
        payloads.text("wamid.txt", "Hola")])))

    with scopes_disabled():
        assert InboundMessage.objects.get().text == "Hola"
        assert not MessageMedia.objects.exists()


def test_a_redelivered_image_is_stored_once(meta, hotel_sol, no_processing):
    message = media.image("wamid.twice", "IMG2")

    media.deliver(meta, message)
    media.deliver(meta, message)

    with scopes_disabled():
        assert MessageMedia.objects.count() == 1


def test_the_download_is_queued_once_the_message_is_committed(
        meta, hotel_sol, no_processing, graph_api, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    graph_api.add_media("IMG3", media.JPEG, "image/jpeg")

    with django_capture_on_commit_callbacks(execute=True):
        media.deliver(meta, media.image("wamid.queued", "IMG3"))

    assert stored_media().status == MessageMedia.Status.DOWNLOADED
