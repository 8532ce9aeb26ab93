"""Staff look through guests' messages and replies, and push failed ones along."""
import pytest
from django_scopes import scopes_disabled

from security.models import AuditEvent
from tests.admin.pages import admin_url, messages_of, rows
from tests.factories import ConversationFactory, InboundMessageFactory, OutboundMessageFactory
from webhooks.models import InboundMessage, OutboundMessage

from . import payloads

pytestmark = pytest.mark.django_db


def reload(message):
    with scopes_disabled():
        return type(message).objects.get(pk=message.pk)


def act(client, model, action, *messages):
    return client.post(admin_url(model, "changelist"), {
        "action": action, "_selected_action": [m.pk for m in messages],
    }, follow=True, REMOTE_ADDR="203.0.113.7")


@pytest.fixture
def failed_reply(hotel_sol):
    question = InboundMessageFactory(
        conversation=ConversationFactory(tenant=hotel_sol, guest_id=payloads.GUEST),
        account_external_id=payloads.SOL_NUMBER_ID,
    )
    return OutboundMessageFactory(
        inbound=question, text="Para esas fechas tenemos la suite.", status="failed", attempts=6,
        error={"http_status": 503, "response": {"error": {"message": "Service unavailable"}}},
    )


@pytest.fixture
def failed_message(hotel_sol, sol_number):
    """A guest's "Hola" the worker choked on, before it found a conversation."""
    with scopes_disabled():
        return InboundMessage.objects.create(
            tenant=hotel_sol, channel="whatsapp", channel_account=sol_number,
            account_external_id=payloads.SOL_NUMBER_ID, external_id="wamid.stuck", sender_id=payloads.GUEST,
            message_type="text", text="Hola", sent_at="2026-01-01T10:00:00Z", status="failed",
            attempts=5, error="OperationalError: database is locked",
        )


def test_retrying_a_failed_reply_sends_it(
    as_staff, failed_reply, graph_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = act(as_staff, OutboundMessage, "retry_sending", failed_reply)

    assert "1 failed or unknown reply queued for sending." in messages_of(response)
    assert graph_api.sent_texts == ["Para esas fechas tenemos la suite."]
    assert graph_api.requests[0]["json"]["to"] == payloads.GUEST
    sent = reload(failed_reply)
    assert sent.status == "sent"
    assert sent.external_id == "wamid.out.1"
    assert sent.error == {}


def test_retry_is_audited(
    as_staff, staff_member, failed_reply, graph_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        act(as_staff, OutboundMessage, "retry_sending", failed_reply)

    with scopes_disabled():
        event = AuditEvent.objects.get(action="outbound_retried")
    assert (event.event_type, event.actor) == ("DATA_MODIFICATION", f"user:{staff_member.pk}")
    assert event.resource == f"outbound:{failed_reply.pk}"


def test_a_reply_failing_again_stays_failed_with_the_new_error(
    as_staff, failed_reply, graph_api, django_capture_on_commit_callbacks
):
    graph_api.answer(400, {"error": {"code": 131047, "message": "Re-engagement message"}})

    with django_capture_on_commit_callbacks(execute=True):
        act(as_staff, OutboundMessage, "retry_sending", failed_reply)

    failed = reload(failed_reply)
    assert failed.status == "failed"
    assert failed.error["response"]["error"]["code"] == 131047


def test_replies_that_did_not_fail_are_not_sent_again(
    as_staff, hotel_sol, graph_api, django_capture_on_commit_callbacks
):
    delivered = OutboundMessageFactory(inbound__conversation__tenant=hotel_sol, status="delivered")

    with django_capture_on_commit_callbacks(execute=True):
        response = act(as_staff, OutboundMessage, "retry_sending", delivered)

    assert "0 failed or unknown replies queued for sending." in messages_of(response)
    assert graph_api.requests == []
    assert reload(delivered).status == "delivered"


def test_failed_replies_filter(as_staff, failed_reply):
    OutboundMessageFactory(inbound=failed_reply.inbound, sequence=1)

    response = as_staff.get(admin_url(OutboundMessage, "changelist"), {"status__exact": "failed"})

    assert rows(response) == [failed_reply]


def test_processing_a_failed_message_again_answers_the_guest(
    as_staff, failed_message, graph_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = act(as_staff, InboundMessage, "process_again", failed_message)

    assert "1 failed message queued for processing." in messages_of(response)
    processed = reload(failed_message)
    assert processed.status == "processed"
    assert processed.conversation_id is not None
    assert len(graph_api.sent_texts) == 1
    with scopes_disabled():
        assert AuditEvent.objects.get(action="inbound_reprocessed").resource == "whatsapp:wamid.stuck"


def test_processed_messages_are_not_processed_again(as_staff, hotel_sol, graph_api,
                                                     django_capture_on_commit_callbacks):
    done = InboundMessageFactory(conversation__tenant=hotel_sol)

    with django_capture_on_commit_callbacks(execute=True):
        response = act(as_staff, InboundMessage, "process_again", done)

    assert "0 failed messages queued for processing." in messages_of(response)
    assert graph_api.requests == []
    with scopes_disabled():
        assert not OutboundMessage.objects.exists()


@pytest.mark.parametrize("filters", [
    {"status__exact": "failed"}, {"channel__exact": "whatsapp"}, {"message_type__exact": "text"},
])
def test_inbound_filters(as_staff, failed_message, filters):
    InboundMessageFactory(conversation__tenant=failed_message.tenant, channel="web", message_type="image")

    response = as_staff.get(admin_url(InboundMessage, "changelist"), filters)

    assert rows(response) == [failed_message]


@pytest.mark.parametrize("term", ["wamid.stuck", payloads.GUEST])
def test_inbound_messages_are_found_by_external_id_or_sender(as_staff, failed_message, term):
    InboundMessageFactory(conversation__tenant=failed_message.tenant, conversation__guest_id="447700900123")

    response = as_staff.get(admin_url(InboundMessage, "changelist"), {"q": term})

    assert rows(response) == [failed_message]


def test_a_message_page_links_to_its_thread(as_staff, hotel_sol):
    message = InboundMessageFactory(conversation__tenant=hotel_sol)

    page = as_staff.get(admin_url(InboundMessage, "change", message.pk)).content.decode()

    assert admin_url(type(message.conversation), "change", message.conversation_id) in page
