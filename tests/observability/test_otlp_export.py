"""With a collector configured, spans leave over OTLP/HTTP: a collector sees the
webhook's request and the reply's send task in one trace."""
import pytest

from hotelagent import telemetry
from tests.webhooks import payloads

from .otlp_receiver import OTLPReceiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def collector(settings, monkeypatch):
    """init_tracing as production runs it, minus making its provider the
    process-wide one (that can be done once per process, and tests go on after)."""
    with OTLPReceiver() as receiver:
        settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = receiver.url + "/v1/traces"
        monkeypatch.setattr(telemetry.trace, "set_tracer_provider", lambda provider: None)
        assert telemetry.init_tracing()
        yield receiver
        telemetry.stop_tracing()


def test_a_collector_sees_the_webhook_and_the_send_in_one_trace(client, hotel_sol, graph_api, collector):
    payloads.post(client, payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
        payloads.text("wamid.otlp.1", "Hola")])))
    telemetry.stop_tracing()  # flushes the batch

    named = {span.name: span for span in collector.spans}
    webhook, sending = named["POST webhooks/whatsapp/"], named["run/webhooks.tasks.send_outbound_message"]
    assert webhook.trace_id == sending.trace_id
    assert webhook.attributes["hotelagent.tenant"] == "hotel-sol"
    assert {span.service for span in collector.spans} == {"hotelagent"}


def test_nothing_is_exported_or_instrumented_without_a_collector(settings):
    settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = ""

    assert telemetry.init_tracing() is False
    assert not any("opentelemetry" in entry for entry in settings.MIDDLEWARE)
