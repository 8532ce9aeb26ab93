"""Replies go out through a real local HTTP server standing in for the Graph API:
what is retried, when, for how long, and what is final."""
import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.factories import InboundMessageFactory
from webhooks.models import OutboundMessage
from webhooks.sending import backoff
from webhooks.tasks import send_outbound_message

pytestmark = pytest.mark.django_db

GUEST = "34612345678"
SOL = "100000000000001"


@pytest.fixture
def reply(hotel_sol):
    with scopes_disabled():
        return OutboundMessage.objects.create(
            tenant=hotel_sol, channel="whatsapp", account_external_id=SOL,
            recipient_id=GUEST, text="¡Hola! ¿En qué puedo ayudarte?",
        )


def reload(reply):
    with scopes_disabled():
        return OutboundMessage.objects.get(pk=reply.pk)


def attempt(reply) -> bool:
    return send_outbound_message.apply(args=[reply.pk]).get()


def make_due(reply) -> None:
    """What waiting until the next attempt is due does to the row."""
    with scopes_disabled():
        OutboundMessage.objects.filter(pk=reply.pk).update(next_attempt_at=timezone.now())


def seconds_until_due(reply) -> float:
    return (reload(reply).next_attempt_at - timezone.now()).total_seconds()


def test_reply_is_sent_with_the_cloud_api_shape(reply, graph_api):
    assert attempt(reply) is True

    [request] = graph_api.requests
    assert request["json"] == {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": GUEST,
        "type": "text", "text": {"preview_url": False, "body": "¡Hola! ¿En qué puedo ayudarte?"},
    }
    sent = reload(reply)
    assert (sent.status, sent.external_id, sent.attempts) == ("sent", "wamid.out.1", 1)


def test_a_server_error_schedules_the_next_attempt_instead_of_retrying_at_once(reply, graph_api):
    graph_api.answer(500)

    assert attempt(reply) is False

    waiting = reload(reply)
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert waiting.error["http_status"] == 500
    assert 0.5 < seconds_until_due(reply) <= 2.5
    assert len(graph_api.requests) == 1


def test_a_reply_is_not_tried_again_before_it_is_due_and_is_sent_once_when_it_is(reply, graph_api):
    graph_api.answer(503)
    attempt(reply)

    assert attempt(reply) is False  # a duplicate task, early: nothing is sent
    assert len(graph_api.requests) == 1

    make_due(reply)
    assert attempt(reply) is True
    assert attempt(reply) is False
    sent = reload(reply)
    assert (sent.status, sent.attempts, sent.error) == ("sent", 2, {})
    assert len(graph_api.requests) == 2


def test_retry_after_in_seconds_is_honoured(reply, graph_api):
    graph_api.answer(429, {"error": {"code": 130429, "message": "Rate limit hit"}},
                     headers={"Retry-After": "30"})

    attempt(reply)

    assert reload(reply).status == "pending"
    assert 29 <= seconds_until_due(reply) <= 31


def test_retry_after_as_an_http_date_is_honoured(reply, graph_api):
    later = timezone.now() + datetime.timedelta(seconds=120)
    graph_api.answer(429, headers={"Retry-After": later.strftime("%a, %d %b %Y %H:%M:%S GMT")})

    attempt(reply)

    assert 115 <= seconds_until_due(reply) <= 121


@pytest.mark.parametrize("code", [130429, 131056, 131000, 4])
def test_metas_throttling_and_try_later_codes_are_retried_whatever_the_http_status(reply, graph_api, code):
    graph_api.answer(400, {"error": {"code": code, "message": "slow down"}})

    attempt(reply)

    assert reload(reply).status == "pending"


def test_a_request_meta_calls_wrong_fails_at_once(reply, graph_api):
    graph_api.answer(400, {"error": {"code": 131030, "message": "Recipient not in allowed list"}})

    attempt(reply)

    assert len(graph_api.requests) == 1
    failed = reload(reply)
    assert failed.status == "failed"
    assert failed.error["response"]["error"]["code"] == 131030


def test_metas_outside_the_window_error_is_final_and_says_why(reply, graph_api):
    graph_api.answer(400, {"error": {"code": 131047, "message": "Re-engagement message"}})

    attempt(reply)

    failed = reload(reply)
    assert failed.status == "failed"
    assert failed.error["reason"] == "customer_service_window_closed"


def test_a_timeout_is_retried(reply, graph_api, settings):
    settings.WHATSAPP_SEND_TIMEOUT = 0.2
    graph_api.answer(200, None, delay=0.6)

    attempt(reply)
    assert reload(reply).status == "pending"
    make_due(reply)
    attempt(reply)

    sent = reload(reply)
    assert (sent.status, sent.attempts) == ("sent", 2)


def test_retries_go_on_for_the_horizon_then_the_reply_fails_saying_why(reply, graph_api, settings):
    settings.WHATSAPP_SEND_RETRY_HORIZON_SECONDS = 3600
    for _ in range(3):
        graph_api.answer(500)
        attempt(reply)
        make_due(reply)
    assert reload(reply).status == "pending"

    with scopes_disabled():
        OutboundMessage.objects.filter(pk=reply.pk).update(
            created_at=timezone.now() - datetime.timedelta(seconds=3599))
    graph_api.answer(500)
    attempt(reply)

    failed = reload(reply)
    assert (failed.status, failed.attempts) == ("failed", 4)
    assert failed.error["reason"] == "retry_horizon_exceeded"


def test_no_retry_is_planned_after_the_guests_24_hour_window_closes(reply, graph_api, tenant):
    InboundMessageFactory(
        conversation__tenant=tenant, conversation__guest_id=GUEST,
        sent_at=timezone.now() - datetime.timedelta(hours=24) + datetime.timedelta(seconds=0.5),
    )
    graph_api.answer(500)

    attempt(reply)

    failed = reload(reply)
    assert failed.status == "failed"
    assert failed.error["reason"] == "customer_service_window_closed"


def test_a_recent_guest_message_keeps_the_window_open_for_retries(reply, graph_api, tenant):
    InboundMessageFactory(conversation__tenant=tenant, conversation__guest_id=GUEST,
                          sent_at=timezone.now() - datetime.timedelta(hours=1))
    graph_api.answer(500)

    attempt(reply)

    assert reload(reply).status == "pending"


def test_backoff_doubles_with_jitter_up_to_its_cap(settings):
    settings.WHATSAPP_SEND_RETRY_BASE_SECONDS = 2
    settings.WHATSAPP_SEND_MAX_BACKOFF_SECONDS = 1800
    assert all(1 <= backoff(1) <= 2 for _ in range(50))
    assert all(16 <= backoff(5) <= 32 for _ in range(50))
    assert all(900 <= backoff(40) <= 1800 for _ in range(50))
    assert len({round(backoff(8), 3) for _ in range(20)}) > 1


def test_already_sent_reply_is_not_sent_again(reply, graph_api):
    attempt(reply)
    make_due(reply)
    attempt(reply)

    assert len(graph_api.requests) == 1
