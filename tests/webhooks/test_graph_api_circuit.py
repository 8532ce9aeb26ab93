"""During a Graph API outage the circuit stops the hammering: replies wait for its
trial instead of spending attempts, /health/ready says so, and one success
lets everything go again."""
import time

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from prometheus_client import REGISTRY

from security.circuit import State
from webhooks.graph_circuit import graph_api_circuit
from webhooks.models import OutboundMessage
from webhooks.tasks import send_outbound_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def circuit_settings(settings):
    settings.WHATSAPP_CIRCUIT_FAILURE_THRESHOLD = 3
    settings.WHATSAPP_CIRCUIT_RECOVERY_SECONDS = 30
    return settings


@pytest.fixture
def replies(hotel_sol):
    with scopes_disabled():
        return [
            OutboundMessage.objects.create(
                tenant=hotel_sol, channel="whatsapp", account_external_id="100000000000001",
                recipient_id=f"3461234{n:04d}", text=f"Respuesta {n}",
            )
            for n in range(5)
        ]


def attempt_all(replies) -> None:
    with scopes_disabled():
        OutboundMessage.objects.filter(status="pending").update(next_attempt_at=timezone.now())
    for reply in replies:
        send_outbound_message.apply(args=[reply.pk])


def statuses() -> list[tuple[str, int]]:
    with scopes_disabled():
        return list(OutboundMessage.objects.order_by("pk").values_list("status", "attempts"))


def circuit_gauge() -> float:
    return REGISTRY.get_sample_value("hotelagent_graph_api_circuit_state")


def test_consecutive_server_errors_open_the_circuit_and_later_replies_wait_without_a_call(
    replies, graph_api, circuit_settings, client
):
    graph_api.fail_for(3600, status=500)

    attempt_all(replies)

    assert len(graph_api.requests) == 3  # the threshold; the other two were held back
    assert statuses() == [("pending", 1)] * 3 + [("pending", 0)] * 2
    with scopes_disabled():
        held = OutboundMessage.objects.filter(attempts=0)
        assert all(29 <= (reply.next_attempt_at - timezone.now()).total_seconds() <= 41 for reply in held)
    assert circuit_gauge() == 2
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert ready.json()["degraded"] == {"whatsapp": {"graph_api": "open"}}


def test_the_trial_after_recovery_closes_the_circuit_and_every_reply_goes_once(
    replies, graph_api, circuit_settings, client
):
    circuit_settings.WHATSAPP_CIRCUIT_RECOVERY_SECONDS = 0.5
    for _ in range(3):  # Meta fails the three calls that open the circuit, then has recovered
        graph_api.answer(503)  # (a script, not a time window: a slow machine must not change the story)
    attempt_all(replies)
    assert len(graph_api.requests) == 3
    time.sleep(0.6)

    attempt_all(replies)

    assert [status for status, _ in statuses()] == ["sent"] * 5
    recipients = [request["json"]["to"] for request in graph_api.accepted]
    assert sorted(recipients) == sorted(reply.recipient_id for reply in replies)
    assert client.get("/health/ready").json()["status"] == "ok"
    assert circuit_gauge() == 0


def test_a_failed_trial_keeps_the_circuit_open(replies, graph_api, circuit_settings):
    circuit_settings.WHATSAPP_CIRCUIT_RECOVERY_SECONDS = 0.3
    graph_api.fail_for(3600, status=500)
    attempt_all(replies)
    time.sleep(0.4)

    attempt_all(replies)

    assert len(graph_api.requests) == 4  # three that opened it, one trial
    assert circuit_gauge() == 2


def test_rate_limits_and_refusals_do_not_open_the_circuit(replies, graph_api, circuit_settings):
    for _ in range(3):
        graph_api.answer(429, {"error": {"code": 130429, "message": "Rate limit hit"}})
    graph_api.answer(400, {"error": {"code": 131030, "message": "Recipient not in allowed list"}})

    attempt_all(replies)

    assert len(graph_api.requests) == 5
    assert graph_api_circuit().state == State.CLOSED
    assert [status for status, _ in statuses()] == ["pending"] * 3 + ["failed", "sent"]
