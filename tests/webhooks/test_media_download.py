"""A guest's file is fetched from the Graph API (a real local stand-in) into
storage; too large or of the wrong type it is refused, expired it fails."""
import datetime
import hashlib

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.factories import ConversationFactory, InboundMessageFactory
from webhooks.media import download_inbound_media, sweep_pending_media
from webhooks.models import MessageMedia

from . import media_payloads as payloads

pytestmark = pytest.mark.django_db

Status = MessageMedia.Status


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pending(tenant, kind: str = "image", media_id: str = "IMG1", **fields) -> MessageMedia:
    """A message just stored, its file still at Meta's."""
    inbound = InboundMessageFactory(conversation=ConversationFactory(tenant=tenant), message_type=kind,
                                    text="")
    with scopes_disabled():
        return MessageMedia.objects.create(tenant=tenant, inbound=inbound, kind=kind, media_id=media_id,
                                           **fields)


def download(media: MessageMedia) -> MessageMedia:
    download_inbound_media.delay(media.pk)
    with scopes_disabled():
        media.refresh_from_db()
    return media


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_an_image_is_downloaded_into_storage_with_its_hash_and_size(tenant, graph_api, media_root):
    graph_api.add_media("IMG1", payloads.JPEG, "image/jpeg")

    media = download(pending(tenant))

    assert media.status == Status.DOWNLOADED
    assert media.file.name.startswith("whatsapp-media/")
    assert media.file.read() == payloads.JPEG
    assert (media.size, media.sha256) == (len(payloads.JPEG), hashlib.sha256(payloads.JPEG).hexdigest())
    assert media.downloaded_at is not None
    assert stored_files(media_root) == [media_root / media.file.name]


def test_both_requests_carry_the_numbers_bearer_token(tenant, graph_api):
    graph_api.media_token = "graph-token"
    graph_api.add_media("IMG1", payloads.JPEG, "image/jpeg")

    download(pending(tenant))

    assert [(r["path"], r["authorization"]) for r in graph_api.media_requests] == [
        ("/v21.0/IMG1", "Bearer graph-token"), ("/media-files/IMG1", "Bearer graph-token"),
    ]
    assert graph_api.requests == []  # nothing was sent to the guest


def test_a_voice_note_keeps_its_codec_out_of_the_type(tenant, graph_api):
    graph_api.add_media("AUD1", payloads.OGG, "audio/ogg; codecs=opus")

    media = download(pending(tenant, "audio", "AUD1"))

    assert (media.status, media.mime_type) == (Status.DOWNLOADED, "audio/ogg")


def test_a_file_declared_larger_than_the_limit_is_refused_without_downloading(tenant, graph_api, settings,
                                                                                media_root):
    settings.WHATSAPP_MEDIA_MAX_BYTES = 100
    graph_api.add_media("IMG1", payloads.JPEG, "image/jpeg")

    media = download(pending(tenant))

    assert media.status == Status.REFUSED
    assert "larger than the limit of 100 bytes" in media.error
    assert graph_api.downloads == []
    assert stored_files(media_root) == []


def test_a_file_larger_than_it_claims_is_refused_once_reading_passes_the_limit(tenant, graph_api, settings,
                                                                                media_root):
    settings.WHATSAPP_MEDIA_MAX_BYTES = 1000
    graph_api.add_media("IMG1", payloads.JPEG + b"\x00" * 50_000, "image/jpeg", declared_size=10,
                        send_length=False)

    media = download(pending(tenant))

    assert media.status == Status.REFUSED
    assert "larger than the limit of 1000 bytes" in media.error
    assert not media.file
    assert stored_files(media_root) == []


def test_a_type_not_allowed_for_its_kind_is_refused(tenant, graph_api, media_root):
    graph_api.add_media("DOC1", b"MZ\x90\x00" + b"\x00" * 100, "application/x-msdownload")

    media = download(pending(tenant, "document", "DOC1"))

    assert media.status == Status.REFUSED
    assert media.error == "application/x-msdownload is not allowed for document"
    assert graph_api.downloads == []
    assert stored_files(media_root) == []


def test_a_page_sent_as_a_jpeg_is_refused(tenant, graph_api, media_root):
    graph_api.add_media("IMG1", b"<html><script>alert(1)</script></html>", "image/jpeg")

    media = download(pending(tenant))

    assert (media.status, media.error) == (Status.REFUSED, "the file is not image/jpeg")
    assert stored_files(media_root) == []


def test_a_download_answered_with_another_type_is_refused(tenant, graph_api):
    graph_api.add_media("IMG1", payloads.JPEG, "image/jpeg", content_type="text/html")

    media = download(pending(tenant))

    assert (media.status, media.error) == (Status.REFUSED, "text/html is not allowed for image")


def test_an_expired_media_id_fails_for_good(tenant, graph_api):
    media = download(pending(tenant, media_id="EXPIRED"))

    assert media.status == Status.FAILED
    assert media.error == "the media is no longer available from WhatsApp (HTTP 404)"
    assert len(graph_api.media_requests) == 1  # not tried again


def test_a_server_error_is_tried_again_and_the_file_kept_when_meta_recovers(tenant, graph_api):
    published = graph_api.add_media("IMG1", payloads.JPEG, "image/jpeg", info_status=503)
    media = download(pending(tenant))
    assert (media.status, media.error) == (Status.FAILED, "the Graph API answered HTTP 503")
    assert len(graph_api.media_requests) == 4  # the attempt and three retries (eager: at once)

    published.info_status = 200

    assert download(media).status == Status.DOWNLOADED


def test_a_graph_api_that_does_not_answer_in_time_fails_the_download(tenant, graph_api, settings):
    settings.WHATSAPP_MEDIA_TIMEOUT = 0.2
    graph_api.add_media("IMG1", payloads.JPEG, "image/jpeg", delay=1)

    media = download(pending(tenant))

    assert (media.status, media.error) == (Status.FAILED, "the Graph API did not answer in time")


def test_a_rejected_token_fails_the_download(tenant, graph_api):
    graph_api.media_token = "another-token"
    graph_api.add_media("IMG1", payloads.JPEG, "image/jpeg")

    media = download(pending(tenant))

    assert (media.status, media.error) == (Status.FAILED, "the number's access token was refused (HTTP 401)")


def test_a_downloaded_file_is_not_downloaded_again(tenant, graph_api):
    graph_api.add_media("IMG1", payloads.JPEG, "image/jpeg")
    media = download(pending(tenant))

    download(media)

    assert len(graph_api.downloads) == 1


def test_the_sweep_downloads_what_the_broker_outage_left_behind(tenant, graph_api):
    graph_api.add_media("IMG1", payloads.JPEG, "image/jpeg")
    left = pending(tenant)
    fresh = pending(tenant, media_id="IMG2")
    expired = pending(tenant, media_id="IMG3")
    now = timezone.now()
    with scopes_disabled():
        MessageMedia.objects.filter(pk=left.pk).update(created_at=now - datetime.timedelta(hours=1))
        MessageMedia.objects.filter(pk=expired.pk).update(created_at=now - datetime.timedelta(days=8))

    assert sweep_pending_media() == 1

    with scopes_disabled():
        assert MessageMedia.objects.get(pk=left.pk).status == Status.DOWNLOADED
        assert MessageMedia.objects.get(pk=fresh.pk).status == Status.PENDING
        assert MessageMedia.objects.get(pk=expired.pk).status == Status.PENDING


def test_a_storage_that_refuses_the_file_fails_the_download_without_raising(tenant, graph_api, settings,
                                                                             tmp_path):
    (tmp_path / "not-a-folder").write_text("")
    settings.MEDIA_ROOT = tmp_path / "not-a-folder"
    graph_api.add_media("IMG1", payloads.JPEG, "image/jpeg")

    media = download(pending(tenant))

    assert media.status == Status.FAILED
    assert media.error.startswith("unexpected error: ")
