"""OpenTelemetry: one trace per guest message, from the webhook to the Graph API.

On when a collector is configured (`OTEL_EXPORTER_OTLP_ENDPOINT`, or
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`; settings "Tracing"): Django, Celery,
psycopg, Redis and httpx are instrumented and spans leave in batches over
OTLP/HTTP (protobuf). The Celery instrumentation puts the trace context in the
headers of every task published inside a span, so the webhook's request, the
processing task, the send task and its Graph API call (and a PMS's calls) are
one trace, whichever processes run them.

Off otherwise, and off means absent: no SDK TracerProvider, no instrumentation,
no middleware, nothing of the tracing SDK imported. Our own calls
(security.log_context) meet the API's no-op span and cost nothing. (redis-py 8
imports the SDK's metrics package for metrics of its own; they stay off unless
`redis.observability` is initialised, which nothing here does.)

After fork: a BatchSpanProcessor's thread and its exporter's HTTP connections
belong to the process that made them. `init_tracing()` is called in each
process after it forked: the WSGI module (imported by every gunicorn worker, as
preload_app is off), gunicorn's `post_fork` (`init_tracing_after_fork`), and
Celery's worker_process_init, worker_init (solo and thread pools run tasks in the
worker's own process) and beat_init, connected below. Should a process end a
span without it, `_ProcessBatch` notices the new pid and makes its own anyway.

What a span may say: hotels' slugs, channels, message types, routes and ids —
never a guest's words, name, phone or email, nor a secret. The instrumentations
keep SQL parameters, Redis arguments, request bodies and headers out by default
(psycopg: `db.statement` is the SQL with its placeholders; Redis: the command
name and a `?` per argument); the hooks here cut what they would still copy
from URLs: a Django span names the route template (`/r/<str:token>/`, not the
guest's token) and no query string, an httpx span no query string (QloApps
looks a customer up by email in one). tests/observability proves it over every
span of a booking conversation.
"""
import os
import threading
from urllib.parse import urlsplit

from celery import signals
from django.conf import settings
from opentelemetry import trace

_lock = threading.Lock()
_provider = None  # the SDK TracerProvider, once tracing started in this process or its parent
_export = None  # its _ProcessBatch, when it exports to a collector


def init_tracing() -> bool:
    """Trace this process if a collector is configured; True when tracing is on.
    Safe to call more than once, before and after a fork."""
    global _export
    endpoint = settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
    if not endpoint:
        return False
    with _lock:
        if _provider is None:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            _export = _ProcessBatch(lambda: OTLPSpanExporter(endpoint=endpoint))
            trace.set_tracer_provider(start_tracing(_export))
    if _export is not None:
        _export.for_this_process()
    return True


def tracing_on() -> bool:
    """Whether this process traces (tests start tracing with their own processor)."""
    return _provider is not None


def instrument_django() -> None:
    """What hotelagent/wsgi.py and asgi.py call before building the application."""
    init_tracing()


def init_tracing_after_fork() -> None:
    """For gunicorn's post_fork hook, which runs before the worker imports the
    WSGI module (and so before anything named the settings module)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotelagent.settings")
    init_tracing()


def start_tracing(processor):
    """Instrument every library, spans to `processor`; returns the TracerProvider.
    `init_tracing` calls it with the OTLP exporter, tests and the benchmark with
    their own; `stop_tracing` undoes it."""
    global _provider
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.sampling import ParentBased

    if _provider is not None:
        raise RuntimeError("tracing is already on in this process")
    provider = TracerProvider(
        resource=Resource.create({"service.name": settings.OTEL_SERVICE_NAME}),
        sampler=ParentBased(root=_no_orphan_calls()),
    )
    provider.add_span_processor(processor)
    instrumentors = _instrumentors()
    instrumentors["django"].instrument(
        tracer_provider=provider, excluded_urls=settings.OTEL_PYTHON_DJANGO_EXCLUDED_URLS,
        response_hook=_redact_django_span,
    )
    instrumentors["celery"].instrument(tracer_provider=provider)
    instrumentors["psycopg"].instrument(tracer_provider=provider, enable_commenter=False,
                                        capture_parameters=False)
    instrumentors["redis"].instrument(tracer_provider=provider)
    instrumentors["httpx"].instrument(tracer_provider=provider, request_hook=_redact_httpx_span)
    _provider = provider
    return provider


def stop_tracing() -> None:
    """Uninstrument everything and flush: tests and the benchmark switch tracing off again."""
    global _provider, _export
    if _provider is None:
        return
    for instrumentor in _instrumentors().values():
        instrumentor.uninstrument()
    _provider.shutdown()
    _provider = _export = None


def _instrumentors() -> dict:
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    return {"django": DjangoInstrumentor(), "celery": CeleryInstrumentor(), "psycopg": PsycopgInstrumentor(),
            "redis": RedisInstrumentor(), "httpx": HTTPXClientInstrumentor()}


def _no_orphan_calls():
    """Traces start where work starts: a request, a task, a publish. A database,
    cache or HTTP call with no parent (a worker's broker housekeeping, a query
    before a task begins) would be a trace of one span about nothing: not sampled."""
    from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult

    class NoOrphanCalls(Sampler):
        def should_sample(self, parent_context, trace_id, name, kind=None, attributes=None, links=None,
                          trace_state=None):
            if kind == trace.SpanKind.CLIENT:
                return SamplingResult(Decision.DROP)
            return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes)

        def get_description(self) -> str:
            return "NoOrphanCalls"

    return NoOrphanCalls()


class _ProcessBatch:
    """A span processor that batches through a BatchSpanProcessor and exporter
    of the current process, made anew after a fork."""

    def __init__(self, make_exporter):
        self._make_exporter = make_exporter
        self._pid = None
        self._batch = None
        self._lock = threading.Lock()

    def for_this_process(self):
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        with self._lock:
            if self._pid != os.getpid():
                inherited, self._batch = self._batch, BatchSpanProcessor(self._make_exporter())
                self._pid = os.getpid()
                if inherited is not None:  # the parent's copy: its queue is empty, its thread idle
                    inherited.shutdown()
        return self._batch

    def on_start(self, span, parent_context=None) -> None:
        pass

    def _on_ending(self, span) -> None:
        pass

    def on_end(self, span) -> None:
        self.for_this_process().on_end(span)

    def shutdown(self) -> None:
        if self._batch is not None and self._pid == os.getpid():
            self._batch.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        if self._batch is None or self._pid != os.getpid():
            return True
        return self._batch.force_flush(timeout_millis)


# --- what spans may say (module docstring) -------------------------------------

_PATH_KEYS = ("http.target", "url.path")
_URL_KEYS = ("http.url", "url.full")


def _redact_django_span(span, request, response) -> None:
    """The route template instead of the path (a guest link's path is its token),
    and no query string (an admin search is a guest's name)."""
    if not span.is_recording():
        return
    route = _route_of(request)
    attributes = span.attributes or {}
    for key in _PATH_KEYS:
        if key in attributes:
            span.set_attribute(key, route)
    for key in _URL_KEYS:
        if key in attributes:
            parts = urlsplit(str(attributes[key]))
            span.set_attribute(key, f"{parts.scheme}://{parts.netloc}{route}")
    if "url.query" in attributes:
        span.set_attribute("url.query", "")


def _route_of(request) -> str:
    from django.urls import Resolver404, resolve

    match = getattr(request, "resolver_match", None)
    if match is None:  # answered before URL resolution (a redirect, a refusal)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unmatched"
    return "/" + match.route if getattr(match, "route", "") else "unmatched"


def _redact_httpx_span(span, request) -> None:
    if not span.is_recording():
        return
    attributes = span.attributes or {}
    for key in _URL_KEYS:
        value = str(attributes.get(key, ""))
        if "?" in value:
            span.set_attribute(key, value.split("?", 1)[0])


# --- Celery's processes -------------------------------------------------------


@signals.worker_process_init.connect(weak=False)
@signals.worker_init.connect(weak=False)
@signals.beat_init.connect(weak=False)
def _trace_celery_process(**kwargs) -> None:
    init_tracing()


@signals.worker_process_shutdown.connect(weak=False)
def _flush_celery_process(**kwargs) -> None:
    """Prefork children may leave without running atexit: send what is queued."""
    if _export is not None:
        _export.force_flush(5000)
