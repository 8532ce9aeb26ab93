"""What the conversations count, driven through the real entry points: the web
chat API and signed WhatsApp deliveries, answered by the agent and sent to a
local stand-in for the Graph API."""
import pytest
from django.test import Client

from tests.factories import ChannelAccountFactory
from tests.webhooks import payloads
from webhooks.agent import respond
from webhooks.models import Conversation

from .conftest import count

pytestmark = pytest.mark.django_db


def chat(api, text: str, sender: str = "visitor-1") -> str:
    response = api.post("/api/v1/messages/", {"sender": sender, "text": text}, format="json")
    assert response.status_code == 200
    return response.json()["reply"]


def whatsapp(*messages) -> None:
    delivery = payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=list(messages)))
    assert payloads.post(Client(), delivery).status_code == 200


@pytest.fixture
def on_whatsapp(tenant, standard):
    return ChannelAccountFactory(tenant=tenant, external_id=payloads.SOL_NUMBER_ID)


def test_an_answer_the_agent_did_not_understand_is_a_fallback(api, standard):
    before = count("hotelagent_agent_fallbacks_total", tenant="hotel-sol", language="es")

    chat(api, "Hola")
    chat(api, "zorglub wibble frobnicate")

    assert count("hotelagent_agent_fallbacks_total", tenant="hotel-sol", language="es") == before + 1


def test_a_booking_question_it_did_not_understand_counts_in_the_guests_language(tenant, standard):
    conversation = Conversation.objects.create(tenant=tenant, channel="web", guest_id="g-1")
    before = count("hotelagent_agent_fallbacks_total", tenant="hotel-sol", language="en")

    respond(conversation=conversation, text="I would like to book a room please")
    respond(conversation=conversation, text="zorglub wibble frobnicate")

    assert count("hotelagent_agent_fallbacks_total", tenant="hotel-sol", language="en") == before + 1


def test_asking_for_a_person_is_a_handoff(api, standard):
    before = count("hotelagent_handoffs_total", tenant="hotel-sol")

    chat(api, "Quiero hablar con una persona")
    chat(api, "¿hola?")  # staff have it now: no second handoff

    assert count("hotelagent_handoffs_total", tenant="hotel-sol") == before + 1


def test_inbound_messages_are_counted_by_channel_and_type(api, on_whatsapp, graph_api):
    def inbound(channel, kind):
        return count("hotelagent_inbound_messages_total", tenant="hotel-sol", channel=channel, type=kind)

    before = {key: inbound(*key) for key in [("whatsapp", "text"), ("whatsapp", "image"), ("web", "text")]}

    whatsapp(payloads.text("wamid.metrics.1", "Hola"), payloads.image("wamid.metrics.2"))
    whatsapp(payloads.text("wamid.metrics.1", "Hola"))  # Meta redelivers: stored once, counted once
    chat(api, "Hola")

    assert {key: inbound(*key) - before[key] for key in before} == {
        ("whatsapp", "text"): 1, ("whatsapp", "image"): 1, ("web", "text"): 1,
    }


def test_an_unknown_message_type_counts_as_other(on_whatsapp, graph_api):
    before = count("hotelagent_inbound_messages_total", tenant="hotel-sol", channel="whatsapp", type="other")
    message = {**payloads.text("wamid.metrics.3", "x"), "type": "hologram"}

    whatsapp(message)

    assert count("hotelagent_inbound_messages_total", tenant="hotel-sol", channel="whatsapp",
                 type="other") == before + 1


def test_whatsapp_replies_sent_are_counted_with_their_latency(on_whatsapp, graph_api):
    sent = count("hotelagent_replies_total", tenant="hotel-sol", channel="whatsapp", outcome="sent")
    observed = count("hotelagent_reply_latency_seconds_count", channel="whatsapp")

    whatsapp(payloads.text("wamid.metrics.4", "Hola"))

    assert len(graph_api.accepted) == 1
    assert count("hotelagent_replies_total", tenant="hotel-sol", channel="whatsapp",
                 outcome="sent") == sent + 1
    assert count("hotelagent_reply_latency_seconds_count", channel="whatsapp") == observed + 1
    assert count("hotelagent_reply_latency_seconds_bucket", channel="whatsapp", le="+Inf") == observed + 1


def test_a_reply_meta_refuses_is_counted_failed(on_whatsapp, graph_api):
    failed = count("hotelagent_replies_total", tenant="hotel-sol", channel="whatsapp", outcome="failed")
    observed = count("hotelagent_reply_latency_seconds_count", channel="whatsapp")
    graph_api.answer(400, {"error": {"message": "Invalid parameter", "code": 100}})

    whatsapp(payloads.text("wamid.metrics.5", "Hola"))

    assert count("hotelagent_replies_total", tenant="hotel-sol", channel="whatsapp",
                 outcome="failed") == failed + 1
    assert count("hotelagent_reply_latency_seconds_count", channel="whatsapp") == observed  # never delivered


def test_web_chat_replies_are_sent_in_the_response_and_timed(api, standard):
    sent = count("hotelagent_replies_total", tenant="hotel-sol", channel="web", outcome="sent")
    observed = count("hotelagent_reply_latency_seconds_count", channel="web")
    within_a_second = count("hotelagent_reply_latency_seconds_bucket", channel="web", le="1.0")

    chat(api, "Hola")

    assert count("hotelagent_replies_total", tenant="hotel-sol", channel="web", outcome="sent") == sent + 1
    assert count("hotelagent_reply_latency_seconds_count", channel="web") == observed + 1
    assert count("hotelagent_reply_latency_seconds_bucket", channel="web", le="1.0") == within_a_second + 1
