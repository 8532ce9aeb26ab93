"""Staff read a conversation as a thread and hand it back to the agent."""
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from security.models import AuditEvent
from tests.admin.pages import admin_url, messages_of, rows
from tests.factories import ConversationFactory, InboundMessageFactory, OutboundMessageFactory
from webhooks.agent import respond
from webhooks.models import Conversation, InboundMessage, OutboundMessage

pytestmark = pytest.mark.django_db

START = timezone.now() - datetime.timedelta(hours=1)


def at(message, minute: int):
    """Pin when a message was stored (the model stamps it on creation)."""
    model = type(message)
    field = "received_at" if model is InboundMessage else "created_at"
    with scopes_disabled():
        model.objects.filter(pk=message.pk).update(**{field: START + datetime.timedelta(minutes=minute)})
    return message


def thread(page: str) -> list[tuple[str, str]]:
    """(side, text) of each message of the thread, top to bottom."""
    found = re.findall(r'<li class="message (guest|hotel)">(.*?)</li>', page, flags=re.DOTALL)
    texts = [re.search(r'<div class="text">(.*?)</div>', body, flags=re.DOTALL)[1] for _side, body in found]
    return [(side, " ".join(text.split())) for (side, _body), text in zip(found, texts, strict=True)]


def release_selected(client, *conversations):
    return client.post(admin_url(Conversation, "changelist"), {
        "action": "release_selected", "_selected_action": [c.pk for c in conversations],
    }, follow=True, REMOTE_ADDR="203.0.113.7")


def test_thread_interleaves_guest_and_hotel_messages_by_time(as_staff, tenant):
    conversation = ConversationFactory(tenant=tenant)
    # Created out of order on purpose: the thread follows the clock, not the ids.
    late_question = at(InboundMessageFactory(conversation=conversation, text="¿Y el desayuno?"), 3)
    first_question = at(InboundMessageFactory(conversation=conversation, text="Hola"), 0)
    at(OutboundMessageFactory(inbound=late_question, text="Incluido, de 7 a 10."), 4)
    at(OutboundMessageFactory(inbound=first_question, text="¡Hola! ¿En qué te ayudo?"), 1)

    response = as_staff.get(admin_url(Conversation, "change", conversation.pk))

    assert response.status_code == 200
    assert thread(response.content.decode()) == [
        ("guest", "Hola"),
        ("hotel", "¡Hola! ¿En qué te ayudo?"),
        ("guest", "¿Y el desayuno?"),
        ("hotel", "Incluido, de 7 a 10."),
    ]


def test_thread_shows_each_messages_status(as_staff, tenant):
    conversation = ConversationFactory(tenant=tenant)
    question = InboundMessageFactory(conversation=conversation, status="processed")
    InboundMessageFactory(conversation=conversation, status="throttled")
    OutboundMessageFactory(inbound=question, status="read")
    OutboundMessageFactory(inbound=question, sequence=1, status="failed", error={
        "http_status": 400, "response": {"error": {"code": 131047, "message": "Re-engagement message"}},
    })

    page = as_staff.get(admin_url(Conversation, "change", conversation.pk)).content.decode()

    for badge in ('class="badge done">Processed', 'class="badge waiting">Throttled',
                  'class="badge done">Read', 'class="badge failed">Failed'):
        assert badge in page
    assert "131047 Re-engagement message" in page


@pytest.mark.parametrize(("reason", "language", "says"), [
    ("customer_service_window_closed", "en", "the guest&#x27;s 24-hour WhatsApp window closed first"),
    ("customer_service_window_closed", "es", "la ventana de 24 horas de WhatsApp del huésped se cerró"),
    ("retry_horizon_exceeded", "en", "WhatsApp could not be reached for the whole retry period"),
    ("outcome_unknown", "es", "se enviará de nuevo el"),
])
def test_thread_says_why_a_reply_is_not_with_the_guest(as_staff, tenant, reason, language, says):
    question = InboundMessageFactory(conversation=ConversationFactory(tenant=tenant))
    OutboundMessageFactory(inbound=question, status="unknown" if reason == "outcome_unknown" else "failed",
                           error={"http_status": 500, "reason": reason})

    page = as_staff.get(admin_url(Conversation, "change", question.conversation.pk),
                        HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert says in page
    assert 'class="badge failed"' in page


def test_guest_text_and_name_are_escaped(as_staff, tenant):
    conversation = ConversationFactory(tenant=tenant, guest_name="<b>Ana</b>")
    InboundMessageFactory(conversation=conversation, text='<script>alert("hi")</script>\nsegunda línea')

    page = as_staff.get(admin_url(Conversation, "change", conversation.pk)).content.decode()
    listing = as_staff.get(admin_url(Conversation, "changelist")).content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;<br>segunda línea" in page
    assert "<b>Ana</b>" not in page + listing
    assert "&lt;b&gt;Ana&lt;/b&gt;" in listing


def test_a_message_without_text_shows_its_type(as_staff, tenant):
    conversation = ConversationFactory(tenant=tenant)
    InboundMessageFactory(conversation=conversation, message_type="image", text="")

    page = as_staff.get(admin_url(Conversation, "change", conversation.pk)).content.decode()

    assert thread(page) == [("guest", "<em>[image]</em>")]


def test_needs_staff_filter_lists_handed_over_conversations(as_staff, tenant):
    handed_over = ConversationFactory(tenant=tenant, needs_staff=True)
    ConversationFactory(tenant=tenant)

    response = as_staff.get(admin_url(Conversation, "changelist"), {"needs_staff": "yes"})

    assert rows(response) == [handed_over]
    assert "Needs staff" in response.content.decode()


def test_agents_conversations_are_the_other_side_of_the_filter(as_staff, tenant):
    ConversationFactory(tenant=tenant, needs_staff=True)
    with_agent = ConversationFactory(tenant=tenant)

    response = as_staff.get(admin_url(Conversation, "changelist"), {"needs_staff": "no"})

    assert rows(response) == [with_agent]


def test_release_hands_the_conversation_back_to_the_agent(as_staff, tenant, standard):
    conversation = ConversationFactory(tenant=tenant, needs_staff=True)

    response = release_selected(as_staff, conversation)

    assert "1 conversation released to the agent." in messages_of(response)
    conversation.refresh_from_db()
    assert conversation.needs_staff is False
    assert respond(conversation=conversation, text="Hola") != []


def test_release_is_audited_with_the_user_and_address(as_staff, staff_member, tenant):
    conversation = ConversationFactory(tenant=tenant, needs_staff=True)

    release_selected(as_staff, conversation)

    with scopes_disabled():
        event = AuditEvent.objects.get(action="conversation_released")
    assert event.event_type == "DATA_MODIFICATION"
    assert event.tenant == tenant
    assert event.actor == f"user:{staff_member.pk}"
    assert event.ip_address == "203.0.113.7"
    assert event.resource == f"conversation:{conversation.pk}"


def test_releasing_a_conversation_the_agent_has_changes_and_audits_nothing(as_staff, tenant):
    conversation = ConversationFactory(tenant=tenant)

    response = release_selected(as_staff, conversation)

    assert "0 conversations released to the agent." in messages_of(response)
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action="conversation_released").exists()


def test_release_button_on_a_handed_over_conversation(as_staff, tenant):
    conversation = ConversationFactory(tenant=tenant, needs_staff=True)
    page = admin_url(Conversation, "change", conversation.pk)
    assert "Give back to the agent" in as_staff.get(page).content.decode()

    response = as_staff.post(page.replace("/change/", "/release/"), follow=True)

    assert "The agent answers this guest again." in messages_of(response)
    conversation.refresh_from_db()
    assert conversation.needs_staff is False
    assert "Give back to the agent" not in response.content.decode()


def test_list_counts_messages_without_a_query_per_row(as_staff, tenant, django_assert_max_num_queries):
    def chat(replies: int):
        question = InboundMessageFactory(conversation=ConversationFactory(tenant=tenant))
        for n in range(replies):
            OutboundMessageFactory(inbound=question, sequence=n)

    chat(replies=2)
    url = admin_url(Conversation, "changelist")
    as_staff.get(url)  # sessions, content types: whatever a first request warms up
    with CaptureQueriesContext(connection) as one_row:
        as_staff.get(url)
    for _ in range(10):
        chat(replies=1)

    with django_assert_max_num_queries(len(one_row)):
        response = as_staff.get(url)

    counts = sorted(row.message_count for row in rows(response))
    assert counts == [2] * 10 + [3]


@pytest.mark.parametrize("term", ["34612340", "+3461234", "Bea Ruiz"])
def test_conversations_are_found_by_guest_id_phone_or_name(as_staff, tenant, term):
    wanted = ConversationFactory(tenant=tenant, guest_id="34612340999", guest_phone="+34612340999",
                                 guest_name="Bea Ruiz")
    ConversationFactory(tenant=tenant, guest_id="447700900123", guest_phone="+447700900123")

    response = as_staff.get(admin_url(Conversation, "changelist"), {"q": term})

    assert rows(response) == [wanted]


def test_conversations_and_messages_cannot_be_added_edited_or_deleted(as_superuser, tenant):
    conversation = ConversationFactory(tenant=tenant)
    reply = OutboundMessageFactory(inbound=InboundMessageFactory(conversation=conversation))

    for model, pk in ((Conversation, conversation.pk), (InboundMessage, reply.inbound_id),
                      (OutboundMessage, reply.pk)):
        assert as_superuser.get(admin_url(model, "add")).status_code == 403
        page = as_superuser.get(admin_url(model, "change", pk))
        assert page.context["has_change_permission"] is False
        assert page.context["has_delete_permission"] is False
