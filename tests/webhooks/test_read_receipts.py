"""A guest's WhatsApp message is marked read, with "typing…", as the agent takes it
up; best effort: a receipt that fails or hangs never holds the reply back."""
import time

import pytest
from django_scopes import scopes_disabled
from prometheus_client import REGISTRY

from security.secret_store import secret_create
from webhooks.graph_circuit import graph_api_circuit
from webhooks.models import InboundMessage
from webhooks.tasks import process_inbound_message

from . import payloads

pytestmark = pytest.mark.django_db


def guest_writes(meta, wamid="wamid.guest.1", body="Hola, ¿tenéis habitación?"):
    delivery = payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID,
                                                 messages=[payloads.text(wamid, body)]))
    assert payloads.post(meta, delivery).status_code == 200


def receipts_counted(outcome: str) -> float:
    return REGISTRY.get_sample_value("hotelagent_whatsapp_read_receipts_total", {"outcome": outcome}) or 0


def test_a_processed_message_is_marked_read_with_the_typing_indicator(meta, hotel_sol, graph_api):
    guest_writes(meta)

    [receipt] = graph_api.receipts
    assert receipt["path"] == f"/v21.0/{payloads.SOL_NUMBER_ID}/messages"
    assert receipt["json"] == {"messaging_product": "whatsapp", "status": "read",
                               "message_id": "wamid.guest.1", "typing_indicator": {"type": "text"}}
    assert receipt["authorization"] == "Bearer graph-token"
    assert len(graph_api.accepted) >= 1  # and the reply went out


def test_the_receipt_goes_with_the_numbers_own_token(meta, hotel_sol, graph_api):
    secret_create(f"whatsapp_access_token:{payloads.SOL_NUMBER_ID}", hotel_sol, value="sol-token")

    guest_writes(meta)

    assert graph_api.receipts[0]["authorization"] == "Bearer sol-token"


def test_a_failing_receipt_does_not_stop_the_reply(meta, hotel_sol, graph_api):
    graph_api.receipt_script.append((500, 0))
    before = receipts_counted("refused")

    guest_writes(meta)

    assert [receipt["answered"] for receipt in graph_api.receipts] == [500]
    assert graph_api.accepted, "the reply was sent all the same"
    assert receipts_counted("refused") == before + 1


def test_a_hanging_receipt_gives_up_quickly_and_the_reply_goes_out(meta, hotel_sol, graph_api):
    graph_api.receipt_script.append((200, 6))
    before = receipts_counted("timeout")
    started = time.monotonic()

    guest_writes(meta)

    assert time.monotonic() - started < 5
    assert graph_api.accepted
    assert receipts_counted("timeout") == before + 1


def test_no_receipt_while_the_graph_api_circuit_is_open(meta, hotel_sol, graph_api, settings):
    circuit = graph_api_circuit()
    for _ in range(settings.WHATSAPP_CIRCUIT_FAILURE_THRESHOLD):
        circuit.record_failure(trial=circuit.before_call(), error=RuntimeError("down"))

    guest_writes(meta)

    assert graph_api.receipts == []
    with scopes_disabled():
        assert InboundMessage.objects.get().status == "processed"


def test_reprocessing_an_old_message_sends_no_receipt(meta, hotel_sol, graph_api):
    guest_writes(meta)
    with scopes_disabled():
        message = InboundMessage.objects.get()
        InboundMessage.objects.filter(pk=message.pk).update(status="failed", attempts=1)

    process_inbound_message.apply(args=[message.pk]).get()

    assert len(graph_api.receipts) == 1  # the first time only


def test_web_chat_gets_no_read_receipt(api, standard, graph_api):
    response = api.post("/api/v1/messages/", {"sender": "visitor-1", "text": "Hola", "channel": "web"},
                        format="json")

    assert response.status_code == 200 and response.json()["reply"]
    assert graph_api.receipts == []
