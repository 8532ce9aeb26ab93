"""`make bench`: each scenario next to its reference, measured in the same process,
alternating in rounds, printed as a ratio (min / median / max over the rounds)
with latencies, queries and commits per request, its target and PASS/MISS.

    .venv/bin/python benchmarks/suite.py [--rounds 5] [--seconds 0.4] [--flush-redis]

In-process and without a network: each request is a direct call of the WSGI
application (hotelagent.wsgi with bench_urls: the product's middleware, URLs and
settings, plus the references under /bench/) or of the raw intake app
(intake_reference.py). Only the call is timed (the environ and the signed body are
built before it); req/s is requests / summed call time of one batch. Queries and
commits are counted on separate probe requests, so the counting costs the timed
batches nothing. Uses whatever DATABASE_URL / REDIS_URL point at (SQLite and local
memory if unset); creates a throwaway hotel and removes it (on PostgreSQL the
append-only audit trail keeps it, deactivated).
"""
import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import common
import intake_reference
from common import DAY, Hotel, percentile, spread
from django.conf import settings
from django.db import connections

from hotelagent.wsgi import application as product_app


@dataclass
class Request:
    method: str
    path: str
    query: dict = field(default_factory=dict)
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    expect: int = 200
    check: Callable[[bytes], bool] | None = None


def environ_for(request: Request) -> dict:
    environ = {
        "REQUEST_METHOD": request.method, "PATH_INFO": request.path, "SCRIPT_NAME": "",
        "QUERY_STRING": urlencode(request.query), "SERVER_NAME": common.host(), "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": common.host(),
        "HTTP_X_FORWARDED_PROTO": "https",  # what the proxy says in production (SECURE_SSL_REDIRECT)
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(request.body),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
        "wsgi.run_once": False, "CONTENT_LENGTH": str(len(request.body)),
    }
    if request.body:
        environ["CONTENT_TYPE"] = "application/json"
    for name, value in request.headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def call(app, request: Request) -> tuple[int, bytes, float]:
    environ, status = environ_for(request), []
    started = time.perf_counter()
    result = app(environ, lambda s, _headers, _exc=None: status.append(s))
    try:
        content = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()  # request_finished: what a WSGI server does after each response
    return int(status[0][:3]), content, time.perf_counter() - started


@dataclass
class Side:
    """One measured thing: a product scenario or a reference."""
    label: str
    app: Callable
    prepare: Callable[[int], Request]
    rates: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    round_p50: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    commits: list[int] = field(default_factory=list)
    failures: int = 0
    sent: int = 0

    def send(self) -> tuple[int, bytes, float, Request]:
        request = self.prepare(self.sent)
        self.sent += 1
        status, content, seconds = call(self.app, request)
        if status != request.expect or (request.check and not request.check(content)):
            self.failures += 1
            if self.failures <= 2:
                print(f"  {self.label}: unexpected {status}: {content[:300]!r}", file=sys.stderr)
        return status, content, seconds, request

    def batch(self, seconds: float, minimum: int, maximum: int) -> None:
        spent, times = 0.0, []
        while (spent < seconds or len(times) < minimum) and len(times) < maximum:
            elapsed = self.send()[2]
            spent += elapsed
            times.append(elapsed * 1000)
        self.rates.append(len(times) / spent)
        self.latencies += times
        self.round_p50.append(statistics.median(times))

    def probe(self, count: int) -> None:
        """Queries and commits of `count` requests (Django's connection; the intake app has its own)."""
        counter = Counter()
        counter.install()
        try:
            for _ in range(count):
                counter.reset()
                self.send()
                self.queries.append(counter.queries)
                self.commits.append(counter.commits)
        finally:
            counter.uninstall()


class Counter:
    """Every statement Django sends, and every commit: atomic blocks' COMMITs, and
    writes outside any atomic block (autocommit: each is a transaction of its own)."""

    WRITES = ("INSERT", "UPDATE", "DELETE")

    def __init__(self):
        self.connection = connections["default"]
        self.queries = self.commits = 0

    def reset(self):
        self.queries = self.commits = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        if not self.connection.in_atomic_block and sql.lstrip()[:6].upper() in self.WRITES:
            self.commits += 1
        return execute(sql, params, many, context)

    def _commit(self):
        self.commits += 1
        return type(self.connection).commit(self.connection)

    def install(self):
        self.connection.execute_wrappers.append(self)
        self.connection.commit = self._commit  # what transaction.atomic calls on the way out

    def uninstall(self):
        self.connection.execute_wrappers.remove(self)
        del self.connection.commit


@dataclass
class Row:
    scenario: Side
    reference: Side
    target_ratio: float | None
    max_queries: int | None = None
    commits: int | None = None

    def ratios(self) -> list[float]:
        return [s / r for s, r in zip(self.scenario.rates, self.reference.rates, strict=True)]


def sides(hotel: Hotel, availability_from: int) -> dict[str, Side]:
    api = {"Authorization": f"Api-Key {hotel.api_key}"}
    text = common.turn_text(hotel)
    json_body = common.json.dumps

    def signed(_i):
        body, signature = common.delivery(hotel.phone_number_id)
        return Request("POST", "/webhooks/whatsapp/", body=body, headers={"X-Hub-Signature-256": signature},
                       check=lambda content: b'"stored":1' in content)

    def stay(i, nights):
        check_in = hotel.today + (availability_from + i % 200) * DAY
        check_out = check_in + nights * DAY
        return {"check_in": check_in.isoformat(), "check_out": check_out.isoformat(), "guests": "2"}

    def turn(i):
        body = json_body({"sender": f"bench-{time.perf_counter_ns()}-{i}", "text": text}).encode()
        return Request("POST", "/api/v1/messages/", body=body, headers=api,
                       check=lambda content: b"Suite" in content)

    def booking(i):
        check_in = hotel.today + (1 + i % 300) * DAY
        body = json_body({
            "check_in": check_in.isoformat(), "check_out": (check_in + 2 * DAY).isoformat(),
            "room_type": common.ROOM_TYPES[i % 3][0], "guest_name": f"Bench Guest {i}",
            "guest_email": f"guest{i}@bench.example", "guest_phone": f"+34612{i:06d}", "guests": 2,
        }).encode()
        return Request("POST", "/api/v1/reservations/", body=body, headers=api, expect=201)

    return {
        "webhook": Side("signed WhatsApp delivery `POST /webhooks/whatsapp/`", product_app, signed),
        "intake": Side("raw intake app (HMAC, JSON, INSERT, LPUSH)", intake_reference.application, signed),
        "turn": Side("agent turn `POST /api/v1/messages/`", product_app, turn),
        "echo_post": Side("bare DRF echo (POST)", product_app, lambda i: Request(
            "POST", "/bench/drf/", body=json_body({"sender": f"s{i}", "text": text}).encode())),
        "avail2": Side("availability, 2 nights", product_app, lambda i: Request(
            "GET", "/api/v1/availability/", query=stay(i, 2), headers=api)),
        "avail60": Side("availability, 60 nights", product_app, lambda i: Request(
            "GET", "/api/v1/availability/", query=stay(i, 60), headers=api)),
        "echo_get": Side("bare DRF echo (GET)", product_app, lambda i: Request(
            "GET", "/bench/drf/", query=stay(i, 2))),
        "booking": Side("booking, 2 nights `POST /api/v1/reservations/`", product_app, booking),
        "django": Side("bare Django view", product_app, lambda i: Request("GET", "/bench/django/")),
    }


def rows(s: dict[str, Side]) -> list[Row]:
    # The echo sides are shared by several rows: each row measures its own reference
    # batches, so give each row its own copy of the reference.
    def ref(key):
        side = s[key]
        return Side(side.label, side.app, side.prepare)

    return [
        Row(s["webhook"], s["intake"], 0.8),
        Row(s["turn"], s["echo_post"], 0.10, max_queries=8, commits=1),
        Row(s["avail2"], ref("echo_get"), 0.25),
        Row(s["avail60"], ref("echo_get"), 0.25),
        Row(s["booking"], ref("avail2"), 0.4),
        Row(ref("echo_get"), s["django"], None),
    ]


def measure(table: list[Row], args) -> None:
    for row in table:
        for side in (row.reference, row.scenario):
            for _ in range(args.warmup):
                side.send()
    for number in range(args.rounds):
        for row in table:
            pair = (row.reference, row.scenario) if number % 2 == 0 else (row.scenario, row.reference)
            for side in pair:
                side.batch(args.seconds, args.min_requests, args.max_requests)
        print(f"  round {number + 1}/{args.rounds} done", file=sys.stderr)
    for row in table:
        for side in (row.scenario, row.reference):
            side.probe(args.probes)


def verdict(row: Row) -> tuple[str, str]:
    parts, missed = [], []
    if row.target_ratio is not None:
        parts.append(f"≥ {row.target_ratio:g}×")
        if statistics.median(row.ratios()) < row.target_ratio:
            missed.append("ratio")
    if row.max_queries is not None:
        parts.append(f"≤ {row.max_queries} queries")
        if max(row.scenario.queries) > row.max_queries:
            missed.append("queries")
    if row.commits is not None:
        parts.append(f"{row.commits} commit")
        if max(row.scenario.commits) != row.commits:
            missed.append("commits")
    if row.scenario.failures:
        missed.append(f"{row.scenario.failures} failed requests")
    if not parts:
        return "(framework cost, no target)", "—"
    return ", ".join(parts), ("MISS (" + ", ".join(missed) + ")") if missed else "PASS"


def counts(side: Side) -> tuple[str, str]:
    if side.app is intake_reference.application:
        return "1 (own conn.)", "1"
    q, c = side.queries, side.commits
    return (f"{min(q)}" if min(q) == max(q) else f"{min(q)}–{max(q)}",
            f"{min(c)}" if min(c) == max(c) else f"{min(c)}–{max(c)}")


def report(table: list[Row], args) -> None:
    header = ["scenario", "reference", "ref req/s", "scenario req/s", "ratio min / median / max",
              "p50 / p99 ms", "queries/req", "commits/req", "target", "result"]
    lines = []
    for row in table:
        target, result = verdict(row)
        queries, commits = counts(row.scenario)
        lines.append([
            row.scenario.label, row.reference.label, f"{statistics.median(row.reference.rates):.0f}",
            f"{statistics.median(row.scenario.rates):.0f}", spread(row.ratios()),
            f"{percentile(row.scenario.latencies, .5):.2f} / {percentile(row.scenario.latencies, .99):.2f}",
            queries, commits, target, result,
        ])
    long, short = table[3].scenario, table[2].scenario
    latency = [a / b for a, b in zip(long.round_p50, short.round_p50, strict=True)]
    ok = statistics.median(latency) <= 1.2
    lines.append([
        "availability 60 / 2 nights, p50 latency", "(same rounds)", "", "", spread(latency),
        f"{percentile(long.latencies, .5):.2f} / {percentile(short.latencies, .5):.2f}", "", "", "≤ 1.2",
        "PASS" if ok else "MISS",
    ])
    print()
    print(common.markdown(lines, header))
    print()
    print(f"{args.rounds} rounds, each side ≥ {args.seconds} s of calls (≥ {args.min_requests} requests) per "
          f"round, reference and scenario alternating; PASS/MISS on the median ratio. Queries and commits: "
          f"{args.probes} probe requests per side after the rounds.")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (≥ 3; default 5)")
    parser.add_argument("--seconds", type=float, default=0.4, help="seconds of calls per side and round")
    parser.add_argument("--min-requests", type=int, default=20)
    parser.add_argument("--max-requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per side first")
    parser.add_argument("--probes", type=int, default=5, help="requests per side counted for queries")
    parser.add_argument("--availability-from", type=int, default=31, metavar="DAYS",
                        help="first arrival day of the availability requests (default 31: past the "
                             "30 warm days, so both stays are answered from the database)")
    parser.add_argument("--flush-redis", action="store_true",
                        help="FLUSHDB REDIS_URL's database at the end (else delete only the lists used)")
    args = parser.parse_args()
    if args.rounds < 3:
        parser.error("--rounds must be at least 3")
    return args


def main() -> int:
    args = parse_args()
    settings.DEBUG = False  # DEBUG's query log would be measured too
    print(common.environment_line())
    hotel = common.create_hotel()
    print(f"hotel {hotel.tenant.slug}: 3 room types × {common.ROOMS_PER_TYPE} rooms, 365 nights, "
          f"cache warmed 30 days; availability arrivals from day {args.availability_from}", flush=True)
    table = rows(sides(hotel, args.availability_from))
    try:
        measure(table, args)
        report(table, args)
    finally:
        print(common.clean_up(hotel, flush_redis=args.flush_redis))
    return 1 if any(row.scenario.failures or row.reference.failures for row in table) else 0


if __name__ == "__main__":
    sys.exit(main())
