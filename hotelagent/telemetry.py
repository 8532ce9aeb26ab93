"""OpenTelemetry wiring.

Tracing is switched on by the standard OTEL_* environment variables: with
OTEL_EXPORTER_OTLP_ENDPOINT unset we still instrument Django (spans are cheap and
keep trace context flowing into logs) but export nothing, so a laptop needs no collector.
"""
from opentelemetry import trace
from opentelemetry.instrumentation.django import DjangoInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider


def instrument_django() -> None:
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        trace.set_tracer_provider(TracerProvider(resource=Resource.create({"service.name": "hotelagent"})))
    DjangoInstrumentor().instrument()
