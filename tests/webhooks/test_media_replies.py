"""How the agent answers what is not typed: a voice note (with and without a
transcription server, a real local stand-in), a location, a photo."""
import pytest
from django_scopes import scopes_disabled

from tests.admin.pages import admin_url
from webhooks.models import Conversation, InboundMessage, MessageMedia

from . import media_payloads as media
from .transcription_api import FakeTranscriptionAPI

pytestmark = pytest.mark.django_db

CANT_LISTEN_ES = "Todavía no puedo escuchar audios, ¿me lo puedes escribir?"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def transcriber(settings):
    """A speech-to-text server, and transcription switched on to use it."""
    with FakeTranscriptionAPI(text="¿Cuál es la dirección del hotel?") as fake:
        settings.AGENT_TRANSCRIPTION_BASE_URL = fake.base_url
        settings.AGENT_TRANSCRIPTION_MODEL = "whisper-small"
        yield fake


@pytest.fixture
def hotel_with_address(hotel_sol):
    hotel_sol.address = "Calle Mayor 1, 28013 Madrid"
    hotel_sol.directions = "Desde Sol, 2 minutos a pie por la calle Mayor."
    hotel_sol.save()
    return hotel_sol


def voice_media() -> MessageMedia:
    with scopes_disabled():
        return MessageMedia.objects.get(kind="audio")


def test_a_voice_note_is_asked_for_in_writing_without_transcription(meta, hotel_sol, graph_api):
    media.deliver(meta, media.voice_note("wamid.voice", "AUD1"))

    assert graph_api.sent_texts == [CANT_LISTEN_ES]
    assert graph_api.media_requests == []  # nothing fetched before the reply


def test_an_english_guest_is_asked_in_english(meta, harbor_number, graph_api):
    media.deliver(meta, media.voice_note("wamid.voice.en", "AUD1"), number_id=harbor_number.external_id)

    assert graph_api.sent_texts == ["I can't listen to audio yet — could you write it?"]


def test_a_transcribed_voice_note_is_answered_like_text(meta, hotel_with_address, graph_api, transcriber):
    graph_api.add_media("AUD1", media.OGG, "audio/ogg; codecs=opus")

    media.deliver(meta, media.voice_note("wamid.voice", "AUD1"))

    assert "Calle Mayor 1" in graph_api.sent_texts[0]
    assert voice_media().transcript == "¿Cuál es la dirección del hotel?"
    [request] = transcriber.requests
    assert request["path"] == "/v1/audio/transcriptions"
    assert (request["model"], request["file"]) == ("whisper-small", media.OGG)


def test_staff_read_the_transcript_under_the_voice_note(meta, hotel_with_address, graph_api, transcriber,
                                                        as_staff):
    graph_api.add_media("AUD1", media.OGG, "audio/ogg; codecs=opus")
    media.deliver(meta, media.voice_note("wamid.voice", "AUD1"))
    with scopes_disabled():
        conversation = Conversation.objects.get()

    page = as_staff.get(admin_url(Conversation, "change", conversation.pk)).content.decode()

    assert "<audio controls" in page
    assert "¿Cuál es la dirección del hotel?" in page.split('class="transcript"')[1]


def test_a_transcription_server_that_is_down_gets_the_guest_asked_to_write(
        meta, hotel_sol, graph_api, transcriber):
    transcriber.status = 500
    graph_api.add_media("AUD1", media.OGG, "audio/ogg; codecs=opus")

    media.deliver(meta, media.voice_note("wamid.voice", "AUD1"))

    assert graph_api.sent_texts == [CANT_LISTEN_ES]
    assert voice_media().transcript == ""
    with scopes_disabled():
        assert InboundMessage.objects.get().status == InboundMessage.Status.PROCESSED


def test_a_slow_transcription_server_is_not_waited_for(meta, hotel_sol, graph_api, transcriber, settings):
    settings.AGENT_TRANSCRIPTION_TIMEOUT_SECONDS = 0.2
    transcriber.delay = 1
    graph_api.add_media("AUD1", media.OGG, "audio/ogg; codecs=opus")

    media.deliver(meta, media.voice_note("wamid.voice", "AUD1"))

    assert graph_api.sent_texts == [CANT_LISTEN_ES]


def test_a_voice_note_that_cannot_be_downloaded_is_not_transcribed(meta, hotel_sol, graph_api, transcriber):
    media.deliver(meta, media.voice_note("wamid.voice", "EXPIRED"))

    assert graph_api.sent_texts == [CANT_LISTEN_ES]
    assert transcriber.requests == []
    assert voice_media().status == MessageMedia.Status.FAILED


def test_a_location_gets_its_map_and_the_way_to_the_hotel_in_spanish(meta, hotel_with_address, graph_api):
    media.deliver(meta, media.location("wamid.loc", latitude=40.4153, longitude=-3.7074,
                                       name="Plaza Mayor", address="Plaza Mayor, Madrid"))

    [reply] = graph_api.sent_texts
    assert reply.startswith("Gracias, he recibido tu ubicación: Plaza Mayor (Plaza Mayor, Madrid).")
    assert "Mapa: https://www.google.com/maps/search/?api=1&query=40.415300,-3.707400" in reply
    assert "Hotel Sol está en Calle Mayor 1, 28013 Madrid." in reply
    assert ("https://www.google.com/maps/dir/?api=1&origin=40.415300,-3.707400"
            "&destination=Calle+Mayor+1%2C+28013+Madrid") in reply
    assert "Desde Sol, 2 minutos a pie" in reply


def test_a_location_gets_its_map_in_english(meta, harbor_number, other_tenant, graph_api):
    other_tenant.address = "1 Harbor Street, Boston, MA"
    other_tenant.save()

    media.deliver(meta, media.location("wamid.loc.en", latitude=42.3656, longitude=-71.0096),
                  number_id=harbor_number.external_id)

    [reply] = graph_api.sent_texts
    assert reply.startswith("Thanks, I've got your location.")
    assert "Map: https://www.google.com/maps/search/?api=1&query=42.365600,-71.009600" in reply
    assert "Harbor Inn is at 1 Harbor Street, Boston, MA." in reply
    assert "How to get here from there: https://www.google.com/maps/dir/?api=1" in reply


def test_a_photo_without_a_caption_is_acknowledged(meta, hotel_sol, graph_api):
    media.deliver(meta, media.image("wamid.img", "IMG1"))

    [reply] = graph_api.sent_texts
    assert reply.startswith("¡Gracias por la foto! El equipo del hotel la verá.")
    assert "solo entiendo mensajes de texto" not in reply


def test_a_photos_caption_is_answered_as_text(meta, hotel_with_address, graph_api):
    media.deliver(meta, media.image("wamid.img", "IMG1", caption="¿Cuál es la dirección del hotel?"))

    assert "Calle Mayor 1" in graph_api.sent_texts[0]
