"""Staff of Hotel Sol never see or touch Harbor Inn's conversations and messages."""
import pytest
from django_scopes import scopes_disabled

from security.models import AuditEvent
from tests.admin.pages import admin_url, rows
from tests.factories import ConversationFactory, InboundMessageFactory, OutboundMessageFactory
from webhooks.models import Conversation, InboundMessage, OutboundMessage

pytestmark = pytest.mark.django_db

HARBOR_GUEST = "12125550123"


@pytest.fixture
def theirs(other_tenant):
    """Harbor Inn's handed-over conversation, a failed message and a failed reply."""
    conversation = ConversationFactory(tenant=other_tenant, guest_id=HARBOR_GUEST, needs_staff=True,
                                       guest_name="Harbor Guest")
    question = InboundMessageFactory(conversation=conversation, status="failed", text="Harbor question")
    reply = OutboundMessageFactory(inbound=question, status="failed", text="Harbor reply")
    return conversation, question, reply


@pytest.fixture
def ours(tenant):
    return OutboundMessageFactory(inbound__conversation__tenant=tenant)


def reload(row):
    with scopes_disabled():
        return type(row).objects.get(pk=row.pk)


@pytest.mark.parametrize("model", [Conversation, InboundMessage, OutboundMessage])
def test_change_lists_show_only_their_hotels_rows(as_staff, tenant, ours, theirs, model):
    response = as_staff.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert {row.tenant_id for row in rows(response)} == {tenant.pk}
    assert "Harbor" not in response.content.decode()


@pytest.mark.parametrize("index", [0, 1, 2])
def test_another_hotels_pages_are_not_found(as_staff, theirs, index):
    row = theirs[index]

    response = as_staff.get(admin_url(type(row), "change", row.pk))

    assert response.status_code == 302
    assert response.url == "/admin/"


def test_searching_does_not_reach_another_hotel(as_staff, ours, theirs):
    response = as_staff.get(admin_url(Conversation, "changelist"), {"q": HARBOR_GUEST})

    assert rows(response) == []


def test_another_hotels_conversation_cannot_be_released(as_staff, theirs):
    conversation = theirs[0]

    as_staff.post(admin_url(Conversation, "changelist"), {
        "action": "release_selected", "_selected_action": [conversation.pk],
    })
    release_url = admin_url(Conversation, "change", conversation.pk).replace("/change/", "/release/")
    response = as_staff.post(release_url)

    assert response.status_code == 302
    assert reload(conversation).needs_staff is True
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action="conversation_released").exists()


def test_another_hotels_messages_cannot_be_retried_or_reprocessed(
    as_staff, theirs, graph_api, django_capture_on_commit_callbacks
):
    _conversation, question, reply = theirs

    with django_capture_on_commit_callbacks(execute=True):
        as_staff.post(admin_url(OutboundMessage, "changelist"), {
            "action": "retry_sending", "_selected_action": [reply.pk],
        })
        as_staff.post(admin_url(InboundMessage, "changelist"), {
            "action": "process_again", "_selected_action": [question.pk],
        })

    assert graph_api.requests == []
    assert reload(reply).status == "failed"
    assert reload(question).status == "failed"


def test_the_thread_of_a_conversation_holds_only_its_own_messages(as_staff, tenant, theirs):
    sol_conversation = ConversationFactory(tenant=tenant, guest_id=HARBOR_GUEST)  # same guest id
    InboundMessageFactory(conversation=sol_conversation, text="Sol question")

    page = as_staff.get(admin_url(Conversation, "change", sol_conversation.pk)).content.decode()

    assert "Sol question" in page
    assert "Harbor question" not in page
    assert "Harbor reply" not in page
