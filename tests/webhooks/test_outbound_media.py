"""The agent and staff send pictures and documents: staff by a link in the reply
box, the agent a room type's photo when a guest asks to see the rooms. By link
(Meta fetches it), as `image` or `document` with a caption, within the window."""
import datetime
import html

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from reservations.models import RoomType
from security.models import AuditEvent
from tests.factories import ConversationFactory, InboundMessageFactory, MembershipFactory
from webhooks.models import MessageTemplate, OutboundMessage
from webhooks.outbound_media import graph_media, media_for_link

from . import payloads

pytestmark = pytest.mark.django_db

PHOTO = "https://photos.hotel-sol.example/standard.jpg"


def handed_over(tenant, *, hours_ago: float = 1):
    conversation = ConversationFactory(tenant=tenant, needs_staff=True)
    InboundMessageFactory(conversation=conversation, text="¿Me mandáis la factura?",
                          sent_at=timezone.now() - datetime.timedelta(hours=hours_ago))
    return conversation


def reply(client, conversation, **data):
    url = f"/admin/webhooks/conversation/{conversation.pk}/reply/"
    return client.post(url, {"text": "Aquí la tiene.", **data})


@pytest.fixture
def as_staff(client, tenant):
    client.force_login(MembershipFactory(tenant=tenant, role="staff").user)
    return client


@pytest.mark.parametrize(("link", "kind", "extra"), [
    ("https://files.hotel-sol.example/factura-HA-7Q2K9.pdf", "document",
     {"filename": "factura-HA-7Q2K9.pdf"}),
    (PHOTO, "image", {}),
])
def test_staff_send_an_image_or_a_document_by_link_with_their_text_as_caption(
    as_staff, hotel_sol, graph_api, django_capture_on_commit_callbacks, link, kind, extra
):
    conversation = handed_over(hotel_sol)

    with django_capture_on_commit_callbacks(execute=True):
        response = reply(as_staff, conversation, attachment=link)

    assert response.status_code == 302
    [request] = graph_api.requests
    assert request["json"]["type"] == kind
    assert request["json"][kind] == {"link": link, "caption": "Aquí la tiene.", **extra}
    with scopes_disabled():
        stored = OutboundMessage.objects.get(conversation=conversation)
        event = AuditEvent.objects.get(action="staff_reply_sent")
    assert (stored.status, stored.media["type"]) == ("sent", kind)
    assert event.details["attachment"] == kind


@pytest.mark.parametrize(("link", "message"), [
    ("http://files.hotel-sol.example/factura.pdf", "A public https link"),
    ("https://files.hotel-sol.example/setup.exe", "A JPEG or PNG image, or a PDF"),
    ("javascript:alert(1)", "Enter a valid URL"),
])
def test_a_link_meta_cannot_send_is_refused_on_its_field_and_nothing_is_stored(
    as_staff, hotel_sol, graph_api, link, message
):
    conversation = handed_over(hotel_sol)

    response = reply(as_staff, conversation, attachment=link)

    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    with scopes_disabled():
        assert not OutboundMessage.objects.filter(conversation=conversation).exists()
    assert graph_api.requests == []


def test_outside_the_window_an_attachment_is_refused_even_with_a_template(as_staff, hotel_sol, graph_api):
    with scopes_disabled():
        MessageTemplate.objects.create(tenant=hotel_sol, purpose="staff_reply", name="respuesta",
                                       language="es", parameters=["text"])
    conversation = handed_over(hotel_sol, hours_ago=30)

    response = reply(as_staff, conversation, attachment=PHOTO)

    assert response.status_code == 400
    assert "remove the attachment" in html.unescape(response.content.decode())
    assert graph_api.requests == []


def guest_asks(meta, text, wamid="wamid.photos"):
    payloads.post(meta, payloads.delivery(payloads.change(
        payloads.SOL_NUMBER_ID, messages=[payloads.text(wamid, text)])))
    with scopes_disabled():
        return list(OutboundMessage.objects.filter(inbound__external_id=wamid).order_by("sequence"))


@pytest.mark.parametrize("asked", [
    "teneis fotos de las habitaciones?", "Can I see some pictures of the rooms?", "me mandas una foto?"])
def test_the_agent_sends_the_room_photos_when_a_guest_asks(hotel_sol, meta, graph_api, asked):
    with scopes_disabled():
        RoomType.objects.filter(tenant=hotel_sol, code="standard").update(photo_url=PHOTO)

    replies = guest_asks(meta, asked)

    photo = replies[0]
    assert photo.media == {"type": "image", "link": PHOTO, "caption": photo.text}
    assert "Estándar" in photo.text
    images = [request["json"] for request in graph_api.requests if request["json"]["type"] == "image"]
    assert images == [{"messaging_product": "whatsapp", "recipient_type": "individual", "to": payloads.GUEST,
                       "type": "image", "image": {"link": PHOTO, "caption": photo.text}}]


def test_without_photos_the_agent_says_so_instead(hotel_sol, meta, graph_api):
    replies = guest_asks(meta, "tienes fotos?")

    assert "no tengo fotos" in replies[0].text
    assert all(reply.media is None for reply in replies)


def test_stored_media_that_is_not_sendable_goes_as_text():
    assert graph_media({"type": "video", "link": PHOTO}) is None
    assert graph_media({"type": "image"}) is None
    assert graph_media({"type": "image", "id": "1479537139650973"}) == ("image", {"id": "1479537139650973"})
    assert media_for_link(PHOTO)["type"] == "image"


def test_staff_see_what_was_attached_on_the_thread(as_staff, hotel_sol, graph_api):
    conversation = handed_over(hotel_sol)
    reply(as_staff, conversation, attachment="https://files.hotel-sol.example/factura-HA-7Q2K9.pdf")

    page = as_staff.get(f"/admin/webhooks/conversation/{conversation.pk}/change/").content.decode()
    page = html.unescape(page)

    assert ('<a href="https://files.hotel-sol.example/factura-HA-7Q2K9.pdf" target="_blank" '
            'rel="noopener noreferrer">Document: factura-HA-7Q2K9.pdf</a>') in page


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile
    return SimpleUploadedFile(name, content)


def test_staff_upload_a_pdf_meta_gets_it_then_the_message_with_its_id(
    as_staff, hotel_sol, graph_api, storage, django_capture_on_commit_callbacks
):
    conversation = handed_over(hotel_sol)

    with django_capture_on_commit_callbacks(execute=True):
        response = reply(as_staff, conversation, upload=upload("Factura HA-7Q2K9.pdf", PDF))

    assert response.status_code == 302
    [uploaded] = graph_api.uploads
    assert uploaded["path"].endswith(f"/{payloads.SOL_NUMBER_ID}/media")
    assert uploaded["content_type"].startswith("multipart/form-data")
    assert PDF in uploaded["body"] and b"messaging_product" in uploaded["body"]
    [message] = graph_api.requests
    assert message["json"]["type"] == "document"
    assert message["json"]["document"] == {"id": "media.up.1", "caption": "Aquí la tiene.",
                                           "filename": "Factura_HA-7Q2K9.pdf"}
    with scopes_disabled():
        stored = OutboundMessage.objects.get(conversation=conversation)
    assert (stored.status, stored.media["id"]) == ("sent", "media.up.1")


def test_a_failed_upload_is_retried_without_sending_the_message(
    as_staff, hotel_sol, graph_api, storage, django_capture_on_commit_callbacks
):
    conversation = handed_over(hotel_sol)
    graph_api.upload_status = 503

    with django_capture_on_commit_callbacks(execute=True):
        reply(as_staff, conversation, upload=upload("factura.pdf", PDF))

    with scopes_disabled():
        stored = OutboundMessage.objects.get(conversation=conversation)
    assert (stored.status, graph_api.requests) == ("pending", [])  # the next attempt uploads again


@pytest.mark.parametrize(("name", "content", "message"), [
    ("setup.exe", b"MZ\x90\x00", "A JPEG or PNG image, or a PDF."),
    ("factura.pdf", b"<html><script>alert(1)</script>", "The file is not the PDF its name says."),
    ("foto.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024), "Too big: at most 5 MB"),
])
def test_an_upload_meta_would_refuse_is_refused_on_its_field(as_staff, hotel_sol, graph_api, storage, name,
                                                             content, message):
    conversation = handed_over(hotel_sol)

    response = reply(as_staff, conversation, upload=upload(name, content))

    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    with scopes_disabled():
        assert not OutboundMessage.objects.filter(conversation=conversation).exists()
    assert graph_api.uploads == [] and list(storage.rglob("*.*")) == []
