"""Replies go out through a real local HTTP server standing in for the Graph API."""
import pytest
from django_scopes import scopes_disabled

from webhooks.models import OutboundMessage
from webhooks.tasks import send_outbound_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(hotel_sol):
    with scopes_disabled():
        return OutboundMessage.objects.create(
            tenant=hotel_sol, channel="whatsapp", account_external_id="100000000000001",
            recipient_id="34612345678", text="¡Hola! ¿En qué puedo ayudarte?",
        )


def reload(reply):
    with scopes_disabled():
        return OutboundMessage.objects.get(pk=reply.pk)


def test_reply_is_sent_with_the_cloud_api_shape(reply, graph_api):
    send_outbound_message.apply(args=[reply.pk])

    [request] = graph_api.requests
    assert request["json"] == {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": "34612345678",
        "type": "text", "text": {"preview_url": False, "body": "¡Hola! ¿En qué puedo ayudarte?"},
    }
    sent = reload(reply)
    assert sent.status == "sent"
    assert sent.external_id == "wamid.out.1"


def test_server_error_then_success_sends_once(reply, graph_api):
    graph_api.answer(500)
    graph_api.answer(503)

    send_outbound_message.apply(args=[reply.pk])

    assert len(graph_api.requests) == 3
    sent = reload(reply)
    assert sent.status == "sent"
    assert sent.attempts == 3


def test_rate_limited_then_success(reply, graph_api):
    graph_api.answer(429, {"error": {"code": 130429, "message": "Rate limit hit"}})

    send_outbound_message.apply(args=[reply.pk])

    assert reload(reply).status == "sent"


def test_client_error_fails_at_once_without_retry(reply, graph_api):
    graph_api.answer(400, {"error": {"code": 131030, "message": "Recipient not in allowed list"}})

    send_outbound_message.apply(args=[reply.pk])

    assert len(graph_api.requests) == 1
    failed = reload(reply)
    assert failed.status == "failed"
    assert failed.error["response"]["error"]["code"] == 131030


def test_persistent_server_errors_end_failed_after_the_retry_budget(reply, graph_api, settings):
    settings.WHATSAPP_SEND_MAX_RETRIES = 2
    for _ in range(5):
        graph_api.answer(500)

    send_outbound_message.apply(args=[reply.pk])

    assert len(graph_api.requests) == 3
    assert reload(reply).status == "failed"


def test_timeout_is_retried(reply, graph_api, settings):
    settings.WHATSAPP_SEND_TIMEOUT = 0.2
    graph_api.answer(200, None, delay=0.6)

    send_outbound_message.apply(args=[reply.pk])

    sent = reload(reply)
    assert sent.status == "sent"
    assert sent.attempts == 2


def test_already_sent_reply_is_not_sent_again(reply, graph_api):
    send_outbound_message.apply(args=[reply.pk])
    send_outbound_message.apply(args=[reply.pk])

    assert len(graph_api.requests) == 1
