"""Staff answer a guest from the conversation's page: the reply is stored, sent
through the agent's outbound road (the Graph API stand-in receives it), signed
with the staff member's name and audited; WhatsApp's 24-hour window is kept."""
import datetime
import html

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from security.models import AuditEvent
from tests.factories import ConversationFactory, InboundMessageFactory, MembershipFactory, UserFactory
from webhooks.models import CannedReply, Conversation, OutboundMessage

from .pages import admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager_sending(settings, graph_api):
    """Send tasks run in-process against the Graph API stand-in."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.WHATSAPP_ACCESS_TOKEN = "graph-token"
    return graph_api


def handed_over(tenant, *, hours_ago: float = 1, channel: str = "whatsapp", **fields):
    """A conversation the agent handed to staff, the guest's last message `hours_ago`."""
    conversation = ConversationFactory(tenant=tenant, channel=channel, needs_staff=True, **fields)
    InboundMessageFactory(conversation=conversation, text="¿Puedo llevar a mi perro?",
                          sent_at=timezone.now() - datetime.timedelta(hours=hours_ago))
    return conversation


def reply_url(conversation) -> str:
    return admin_url(Conversation, "change", conversation.pk).replace("/change/", "/reply/")


def replies(conversation) -> list[OutboundMessage]:
    with scopes_disabled():
        return list(OutboundMessage.objects.filter(conversation=conversation).order_by("id"))


def send(client, conversation, text="Sí, los perros son bienvenidos.", **extra):
    return client.post(reply_url(conversation), {"text": text}, REMOTE_ADDR="203.0.113.7", **extra)


def test_a_reply_is_stored_as_the_staff_members_and_reaches_the_guest(
    as_staff, staff_member, tenant, graph_api, django_capture_on_commit_callbacks
):
    conversation = handed_over(tenant)

    with django_capture_on_commit_callbacks(execute=True):
        response = send(as_staff, conversation)

    assert response.status_code == 302
    assert response.url.startswith(admin_url(Conversation, "change", conversation.pk))
    [reply] = replies(conversation)
    assert reply.text == "Sí, los perros son bienvenidos."
    assert reply.sent_by == staff_member
    assert reply.recipient_id == conversation.guest_id
    assert reply.status == "sent"
    assert graph_api.sent_texts == ["Sí, los perros son bienvenidos."]
    assert graph_api.requests[0]["json"]["to"] == conversation.guest_id


def test_the_reply_is_audited_with_the_user_and_address(as_staff, staff_member, tenant):
    conversation = handed_over(tenant)

    send(as_staff, conversation)

    [reply] = replies(conversation)
    with scopes_disabled():
        event = AuditEvent.objects.get(action="staff_reply_sent")
    assert event.event_type == "DATA_MODIFICATION"
    assert event.tenant == tenant
    assert event.actor == f"user:{staff_member.pk}"
    assert event.ip_address == "203.0.113.7"
    assert event.resource == f"outbound:{reply.pk}"
    assert event.details["conversation"] == conversation.pk


def test_the_thread_shows_the_reply_on_the_hotels_side_with_the_staff_members_name(as_staff, tenant):
    staff = UserFactory(first_name="Lucía", last_name="Pérez")
    MembershipFactory(user=staff, tenant=tenant)
    as_staff.force_login(staff)
    conversation = handed_over(tenant)

    page = send(as_staff, conversation, follow=True).content.decode()

    assert "Your reply is on its way to the guest." in page
    hotel_side = page.split('<li class="message hotel">')[1].split("</li>")[0]
    assert "Lucía Pérez" in hotel_side
    assert "Sí, los perros son bienvenidos." in hotel_side


def test_replying_takes_the_conversation_over_from_the_agent(as_staff, tenant):
    conversation = handed_over(tenant)
    with scopes_disabled():
        Conversation.objects.filter(pk=conversation.pk).update(needs_staff=False)

    send(as_staff, conversation)

    conversation.refresh_from_db()
    assert conversation.needs_staff is True
    with scopes_disabled():
        assert AuditEvent.objects.get(action="staff_reply_sent").details["took_over"] is True


def test_another_hotels_conversation_is_not_found(as_staff, other_tenant, graph_api):
    theirs = handed_over(other_tenant)

    response = send(as_staff, theirs)

    assert response.status_code == 404
    assert replies(theirs) == []
    assert graph_api.requests == []


def test_a_missing_conversation_is_not_found_either(as_staff, tenant):
    conversation = handed_over(tenant)

    assert as_staff.post(reply_url(conversation).replace(f"/{conversation.pk}/", "/999999/"),
                         {"text": "Hola"}).status_code == 404
    assert as_staff.post(reply_url(conversation).replace(f"/{conversation.pk}/", "/abc/"),
                         {"text": "Hola"}).status_code == 404


def test_a_reply_without_the_csrf_token_is_refused(staff_member, tenant):
    conversation = handed_over(tenant)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff_member)

    response = send(browser, conversation)

    assert response.status_code == 403
    assert replies(conversation) == []


def test_the_reply_url_answers_only_posts(as_staff, tenant):
    assert as_staff.get(reply_url(handed_over(tenant))).status_code == 405


def test_signed_out_visitors_are_sent_to_sign_in(client, tenant):
    conversation = handed_over(tenant)

    response = send(client, conversation)

    assert response.status_code == 302
    assert "/login/" in response.url
    assert replies(conversation) == []


@pytest.mark.parametrize("text", ["", "   \n  ", "<b></b>"])
def test_an_empty_reply_is_refused_on_the_field(as_staff, tenant, text):
    conversation = handed_over(tenant)

    response = send(as_staff, conversation, text=text)

    assert response.status_code == 400
    assert "Write a reply first." in response.content.decode()
    assert replies(conversation) == []


def test_a_reply_longer_than_whatsapp_takes_is_refused(as_staff, tenant):
    conversation = handed_over(tenant)

    response = send(as_staff, conversation, text="a" * 4097)

    assert response.status_code == 400
    assert replies(conversation) == []


def test_outside_the_24_hour_window_nothing_is_stored_and_staff_are_told_why(as_staff, tenant, graph_api):
    conversation = handed_over(tenant, hours_ago=25)

    response = send(as_staff, conversation)

    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    assert "outside WhatsApp's 24-hour window" in page
    assert "Sí, los perros son bienvenidos." in page  # the text is kept in the box
    assert replies(conversation) == []
    assert graph_api.requests == []
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action="staff_reply_sent").exists()


def test_outside_the_window_the_box_is_disabled_and_says_why(as_staff, tenant):
    conversation = handed_over(tenant, hours_ago=25)

    page = html.unescape(as_staff.get(admin_url(Conversation, "change", conversation.pk)).content.decode())

    assert "Sending is disabled: outside WhatsApp's 24-hour window" in page
    assert 'id="reply-send" disabled' in page


def test_the_page_shows_the_time_left_in_the_window(as_staff, tenant):
    conversation = handed_over(tenant, hours_ago=3.5)

    page = html.unescape(as_staff.get(admin_url(Conversation, "change", conversation.pk)).content.decode())

    assert "WhatsApp's 24-hour window: 20 h 29 min left" in page


def test_web_chat_conversations_have_no_window(as_staff, tenant, graph_api):
    conversation = handed_over(tenant, hours_ago=48, channel="web")

    response = send(as_staff, conversation)

    assert response.status_code == 302
    [reply] = replies(conversation)
    assert reply.channel == "web"
    assert graph_api.requests == []  # the web chat is not WhatsApp


def test_a_canned_reply_fills_the_box_without_javascript(as_staff, tenant):
    conversation = handed_over(tenant)
    with scopes_disabled():
        canned = CannedReply.objects.create(tenant=tenant, language="es", title="Mascotas",
                                            text="Admitimos mascotas pequeñas sin coste.")

    page = as_staff.get(admin_url(Conversation, "change", conversation.pk), {"canned": canned.pk})

    assert ">Admitimos mascotas pequeñas sin coste.</textarea>" in page.content.decode()


def test_another_hotels_canned_replies_are_not_offered(as_staff, tenant, other_tenant):
    conversation = handed_over(tenant)
    with scopes_disabled():
        theirs = CannedReply.objects.create(tenant=other_tenant, language="es", title="Harbor pets",
                                            text="Harbor allows pets.")

    page = as_staff.get(admin_url(Conversation, "change", conversation.pk), {"canned": theirs.pk})

    assert "Harbor" not in page.content.decode()


def test_take_over_stops_the_agent_and_is_audited(as_staff, staff_member, tenant):
    conversation = ConversationFactory(tenant=tenant)
    page = admin_url(Conversation, "change", conversation.pk)
    assert "Take over" in as_staff.get(page).content.decode()

    response = as_staff.post(page.replace("/change/", "/take-over/"), follow=True)

    assert "You have taken over" in " ".join(str(m) for m in response.context["messages"])
    conversation.refresh_from_db()
    assert conversation.needs_staff is True
    with scopes_disabled():
        event = AuditEvent.objects.get(action="conversation_taken_over")
    assert event.actor == f"user:{staff_member.pk}"
    assert "Give back to the agent" in response.content.decode()


def test_another_hotels_conversation_cannot_be_taken_over(as_staff, other_tenant):
    theirs = ConversationFactory(tenant=other_tenant)

    as_staff.post(admin_url(Conversation, "change", theirs.pk).replace("/change/", "/take-over/"))

    theirs.refresh_from_db()
    assert theirs.needs_staff is False


def test_a_web_chat_guest_gets_the_staff_reply_with_the_answer_to_their_next_message(as_staff, tenant):
    """The web chat cannot push: what staff wrote travels back with the guest's next message."""
    from webhooks.models import Conversation, OutboundMessage
    from webhooks.webchat import web_message_reply

    first = web_message_reply(tenant=tenant, sender="visitor-7", text="quiero hablar con una persona")
    conversation = Conversation.objects.with_scope(tenant=tenant).get(pk=first.conversation_id)
    response = as_staff.post(f"/admin/webhooks/conversation/{conversation.pk}/reply/",
                             {"text": "Hola, soy Lucía de recepción"})
    assert response.status_code == 302

    answer = web_message_reply(tenant=tenant, sender="visitor-7", text="hola?")

    assert answer.text.startswith("Hola, soy Lucía de recepción")
    staff_reply = OutboundMessage.objects.with_scope(tenant=tenant).get(sent_by__isnull=False)
    assert staff_reply.status == "sent" and staff_reply.sent_at is not None
    again = web_message_reply(tenant=tenant, sender="visitor-7", text="sigues ahi?")
    assert "Hola, soy Lucía" not in again.text  # delivered once
