"""Through a real broker and worker the trace (and the request id) travel in the
task messages' headers: still one trace from the webhook to the Graph API."""
import json
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
from opentelemetry.trace import SpanKind

from hotelagent.celery import app as celery_app
from tests.webhooks import payloads

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(settings):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis: a real broker and a worker in another thread")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def wait_for(condition, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not condition():
        time.sleep(0.1)
    return condition()


# json_logs after worker: a starting worker sets Django (and so logging) up again.
def test_the_trace_goes_through_the_broker_to_the_graph_api(client, hotel_sol, graph_api, spans, worker,
                                                            json_logs):
    response = payloads.post(client, payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
        payloads.text("wamid.worker.trace", "Hola")])))

    def graph_call():
        return next((span for span in spans.get_finished_spans() if span.kind == SpanKind.CLIENT
                     and "/messages" in span.attributes.get("http.url", "")), None)

    assert wait_for(graph_call), "no reply reached the Graph API"
    assert wait_for(lambda: any(s.name == "run/webhooks.tasks.send_outbound_message"
                                for s in spans.get_finished_spans()))
    named = {span.name: span for span in spans.get_finished_spans()}
    webhook = named["POST webhooks/whatsapp/"]
    published = named["apply_async/webhooks.tasks.process_inbound_message"]
    processing = named["run/webhooks.tasks.process_inbound_message"]
    sending = named["run/webhooks.tasks.send_outbound_message"]
    assert {span.context.trace_id for span in (webhook, published, processing, sending, graph_call())} == {
        webhook.context.trace_id}
    assert published.parent.span_id == webhook.context.span_id
    assert processing.parent.span_id == published.context.span_id
    assert sending.attributes["hotelagent.tenant"] == "hotel-sol"  # it came with the message
    lines = [json.loads(line) for line in json_logs.getvalue().splitlines()]
    worker_lines = [line for line in lines if line.get("task_name") == "webhooks.tasks.send_outbound_message"]
    assert worker_lines
    assert {(line.get("request_id"), line.get("tenant")) for line in worker_lines} == {
        (response["X-Request-ID"], "hotel-sol")}
