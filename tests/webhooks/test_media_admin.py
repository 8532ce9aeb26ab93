"""Staff see a guest's photo, play their voice note and open their document in
the thread; another hotel's staff never get at them."""
import re

import pytest
from django.core.files.base import ContentFile
from django_scopes import scopes_disabled

from tests.admin.pages import admin_url
from tests.factories import ConversationFactory, InboundMessageFactory, MembershipFactory
from webhooks.models import Conversation, MessageMedia

from . import media_payloads as payloads

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def received(conversation, kind: str, content: bytes = b"", *, text: str = "", **fields) -> MessageMedia:
    """A guest's message whose file has been downloaded."""
    inbound = InboundMessageFactory(conversation=conversation, message_type=kind, text=text)
    with scopes_disabled():
        media = MessageMedia(tenant=conversation.tenant, inbound=inbound, kind=kind, **fields)
        if content:
            media.file.save(f"{kind}.bin", ContentFile(content), save=False)
            media.status, media.size = MessageMedia.Status.DOWNLOADED, len(content)
        media.save()
    return media


def file_url(media: MessageMedia, conversation_pk: int | None = None) -> str:
    conversation_pk = conversation_pk or media.inbound.conversation_id
    return f"{admin_url(Conversation, 'media', conversation_pk)}?file={media.pk}"


def page_of(client, conversation) -> str:
    return client.get(admin_url(Conversation, "change", conversation.pk)).content.decode()


@pytest.fixture
def conversation(tenant):
    return ConversationFactory(tenant=tenant)


def test_staff_see_the_guests_photo_in_the_thread(as_staff, conversation):
    photo = received(conversation, "image", payloads.JPEG, mime_type="image/jpeg", text="la vista")

    page = page_of(as_staff, conversation)

    assert re.search(rf'<img src="{re.escape(file_url(photo))}" alt="Image sent by the guest"', page)
    assert "la vista" in page


def test_staff_play_the_voice_note_and_open_the_document(as_staff, conversation):
    voice = received(conversation, "audio", payloads.OGG, mime_type="audio/ogg")
    document = received(conversation, "document", payloads.PDF, mime_type="application/pdf",
                        filename="pasaporte.pdf")

    page = page_of(as_staff, conversation)

    assert f'<audio controls preload="metadata" src="{file_url(voice)}">' in page
    assert f'<a href="{file_url(document)}">📄 pasaporte.pdf</a>' in page


def test_a_location_is_a_map_link(as_staff, conversation):
    received(conversation, "location", latitude="40.416775", longitude="-3.703790",
             place_name="Puerta del Sol", status=MessageMedia.Status.NOTHING)

    page = page_of(as_staff, conversation)

    assert ('<a href="https://www.google.com/maps/search/?api=1&amp;query=40.416775,-3.703790" '
            'target="_blank" rel="noopener noreferrer">📍 Puerta del Sol</a>') in page


def test_a_refused_file_shows_why(as_staff, conversation):
    received(conversation, "document", filename="factura.exe", status=MessageMedia.Status.REFUSED,
             error="application/x-msdownload is not allowed for document")

    page = page_of(as_staff, conversation)

    assert "[Document: factura.exe]" in page
    assert "application/x-msdownload is not allowed for document" in page


def test_the_thread_costs_no_query_per_file(as_staff, conversation, django_assert_max_num_queries):
    for _ in range(3):
        received(conversation, "image", payloads.JPEG, mime_type="image/jpeg")
    as_staff.get(admin_url(Conversation, "change", conversation.pk))  # the session and caches warmed

    with django_assert_max_num_queries(30) as queries:
        page_of(as_staff, conversation)
    one = len(queries)
    received(conversation, "audio", payloads.OGG, mime_type="audio/ogg")
    with django_assert_max_num_queries(one):
        page_of(as_staff, conversation)


def test_the_file_is_served_to_its_hotels_staff(as_staff, conversation):
    photo = received(conversation, "image", payloads.JPEG, mime_type="image/jpeg")

    response = as_staff.get(file_url(photo))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == payloads.JPEG


def test_a_document_is_a_download_not_a_page(as_staff, conversation):
    document = received(conversation, "document", payloads.PDF, mime_type="application/pdf",
                        filename="pasaporte.pdf")

    response = as_staff.get(file_url(document))

    assert response["Content-Disposition"] == 'attachment; filename="pasaporte.pdf"'


def test_another_hotels_staff_cannot_get_the_file(client, conversation, other_tenant):
    photo = received(conversation, "image", payloads.JPEG, mime_type="image/jpeg")
    client.force_login(MembershipFactory(tenant=other_tenant, role="manager").user)

    assert client.get(file_url(photo)).status_code == 404


def test_a_file_cannot_be_reached_through_another_conversation(client, conversation, other_tenant):
    """The file's id with a conversation of one's own hotel finds nothing either."""
    photo = received(conversation, "image", payloads.JPEG, mime_type="image/jpeg")
    own = ConversationFactory(tenant=other_tenant)
    client.force_login(MembershipFactory(tenant=other_tenant, role="manager").user)

    assert client.get(file_url(photo, own.pk)).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, conversation):
    photo = received(conversation, "image", payloads.JPEG, mime_type="image/jpeg")

    response = client.get(file_url(photo))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_file_not_downloaded_is_not_found(as_staff, conversation):
    pending = received(conversation, "image", mime_type="image/jpeg", media_id="IMG1")

    assert as_staff.get(file_url(pending)).status_code == 404
    assert as_staff.get(admin_url(Conversation, "media", conversation.pk)).status_code == 404
