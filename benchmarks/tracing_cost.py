"""What tracing costs a request: batches of requests with tracing off and on (to a
local OTLP/HTTP receiver), alternating, through Django's in-process test client.

    .venv/bin/python benchmarks/tracing_cost.py [--rounds N] [--batch N]

Two requests: the bare view `/health/live`, and a signed WhatsApp delivery of a
status for a reply we never sent (signature, envelope, two queries, 200: the
webhook's path without the agent, and nothing written). "On" is what production
runs with a collector (hotelagent/telemetry.py: every library instrumented,
BatchSpanProcessor, OTLP/HTTP protobuf), probes included in the traced paths
here; "off" is the default, nothing instrumented. Uses whatever DATABASE_URL /
REDIS_URL point at (migrated; SQLite and local memory if unset).
"""
import argparse
import json
import os
import secrets
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotelagent.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # a line per status would swamp the report

import django  # noqa: E402 - settings must be chosen before Django loads

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter  # noqa: E402
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest  # noqa: E402
from opentelemetry.sdk.trace.export import BatchSpanProcessor  # noqa: E402

from hotelagent import telemetry  # noqa: E402
from webhooks.signature import expected_signature  # noqa: E402


class Receiver:
    """OTLP/HTTP on a local port: decodes each export and counts its spans."""

    def __init__(self):
        self.spans = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                export = ExportTraceServiceRequest.FromString(body)
                receiver.spans += sum(len(scope.spans) for resource in export.resource_spans
                                      for scope in resource.scope_spans)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1/traces"


def status_delivery() -> bytes:
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "bench", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "34910000001", "phone_number_id": "100000000000001"},
            "statuses": [{"id": "wamid.bench.never-sent", "status": "delivered",
                          "timestamp": str(int(time.time())), "recipient_id": "34600000000"}],
        }}]}]}).encode()


def timed(send, requests: int) -> list[float]:
    client = Client(HTTP_HOST="localhost")  # a new handler: it loads the middleware as it is now
    send(client)  # warm-up
    latencies = []
    for _ in range(requests):
        started = time.perf_counter()
        response = send(client)
        latencies.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return latencies


def switch(on: bool, receiver: Receiver) -> None:
    connections.close_all()  # the next connection is opened (un)instrumented
    if on:
        telemetry.start_tracing(BatchSpanProcessor(OTLPSpanExporter(endpoint=receiver.url)))
    else:
        telemetry.stop_tracing()  # flushes what is queued


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="off/on alternations (default 10)")
    parser.add_argument("--batch", type=int, default=100, help="requests per scenario and batch")
    args = parser.parse_args()

    settings.WHATSAPP_APP_SECRET = secrets.token_hex(16)
    settings.OTEL_PYTHON_DJANGO_EXCLUDED_URLS = ""  # trace the probe too: it is the bare-view case
    body = status_delivery()
    signature = expected_signature(settings.WHATSAPP_APP_SECRET, body)
    scenarios = {
        "/health/live": lambda client: client.get("/health/live"),
        "signed status delivery": lambda client: client.post(
            "/webhooks/whatsapp/", data=body, content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=signature),
    }
    receiver = Receiver()
    results = {(name, on): [] for name in scenarios for on in (False, True)}
    for _ in range(args.rounds):
        for on in (False, True):
            switch(on, receiver)
            for name, send in scenarios.items():
                results[name, on] += timed(send, args.batch)
    switch(False, receiver)

    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"{args.rounds} rounds x {args.batch} requests per scenario, off and on alternating; "
          f"{connections['default'].vendor}, cache {cache}")
    print(f"{'':<24}{'off p50':>10}{'on p50':>10}{'off mean':>10}{'on mean':>10}{'ratio':>8}")
    for name in scenarios:
        off, on = results[name, False], results[name, True]
        print(f"{name:<24}{statistics.median(off):>8.2f}ms{statistics.median(on):>8.2f}ms"
              f"{statistics.mean(off):>8.2f}ms{statistics.mean(on):>8.2f}ms"
              f"{statistics.mean(on) / statistics.mean(off):>7.2f}x")
    print(f"spans received by the local collector: {receiver.spans}")


if __name__ == "__main__":
    main()
