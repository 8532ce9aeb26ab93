"""A guest's message is one trace: the webhook request, the processing task, the
send task and its Graph API call, named for the hotel, channel and message type."""
import pytest
from opentelemetry.trace import SpanKind

from tests.webhooks import payloads

pytestmark = pytest.mark.django_db


def deliver(meta, text: str = "Hola"):
    delivery = payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
        payloads.text("wamid.trace.1", text),
    ]))
    assert payloads.post(meta, delivery).status_code == 200


def by_name(finished) -> dict:
    return {span.name: span for span in finished}


def test_webhook_processing_and_graph_api_call_share_one_trace(client, hotel_sol, graph_api, spans):
    deliver(client)

    named = by_name(spans.get_finished_spans())
    webhook = named["POST webhooks/whatsapp/"]
    processing = named["run/webhooks.tasks.process_inbound_message"]
    sending = named["run/webhooks.tasks.send_outbound_message"]
    graph_call = next(span for span in spans.get_finished_spans()
                      if span.kind == SpanKind.CLIENT and "/messages" in span.attributes.get("http.url", ""))
    assert len(graph_api.requests) == 1
    assert {span.context.trace_id for span in (webhook, processing, sending, graph_call)} == {
        webhook.context.trace_id}
    assert processing.parent.span_id == webhook.context.span_id
    assert sending.parent.span_id == processing.context.span_id
    assert graph_call.parent.span_id == sending.context.span_id


def test_spans_name_the_hotel_the_channel_and_the_message_type(client, hotel_sol, graph_api, spans):
    deliver(client)

    named = by_name(spans.get_finished_spans())
    for name in ("POST webhooks/whatsapp/", "run/webhooks.tasks.process_inbound_message"):
        attributes = named[name].attributes
        assert attributes["hotelagent.tenant"] == "hotel-sol"
        assert attributes["hotelagent.channel"] == "whatsapp"
        assert attributes["hotelagent.message_type"] == "text"


def test_the_request_span_carries_the_request_id(client, hotel_sol, graph_api, spans):
    response = payloads.post(client, payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
        payloads.text("wamid.trace.2", "Hola")])), HTTP_X_REQUEST_ID="req-42")

    webhook = by_name(spans.get_finished_spans())["POST webhooks/whatsapp/"]
    assert response["X-Request-ID"] == "req-42"
    assert webhook.attributes["hotelagent.request_id"] == "req-42"


def test_probes_and_scrapes_are_not_traced(client, spans):
    client.get("/health/live")

    assert not [span for span in spans.get_finished_spans() if span.kind == SpanKind.SERVER]


def test_a_database_or_cache_call_outside_any_trace_is_not_recorded(spans):
    from django.core.cache import cache

    cache.get("nothing-here")

    assert spans.get_finished_spans() == ()
