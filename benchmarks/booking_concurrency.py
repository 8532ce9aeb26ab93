"""Bookings per second for ONE hotel with several concurrent clients, next to the
same clients spread over one hotel each, and what the one-hotel clients wait for.

    .venv/bin/python benchmarks/booking_concurrency.py [--clients 8] [--seconds 5] [--rounds 3]

Why: an audit event recorded inside a booking takes its hotel's audit-chain
advisory lock (security.chain.append, key `lock_key("audit-chain:tenant:<id>")`)
and holds it until the booking commits, so one hotel's bookings are serialized
from the audit INSERT to COMMIT. Issue 15 asks whether that lock is what limits
one hotel's bookings/s, before a separate sealing step is chained in instead.

Scenarios, in an order that alternates from round to round:

- A: N clients, one hotel;
- B: N clients, N hotels (one each): the same work with no lock shared;
- C: 1 client, one hotel (A's hotel): the serial baseline.

Each client is a separate PROCESS (multiprocessing 'fork' after closing Django's
connections) calling the product's WSGI application in process, as suite.py's
call() does (middleware, API-key authentication, serializers, service, database):
`POST /api/v1/reservations/`, 2 nights, a new guest (unique email and phone) per
request, so neither the guest's advisory locks nor the active-reservation limit
are ever shared. Arrivals and room types are spread over the year and disjoint
between the clients of a scenario (client c books slots ≡ c mod N), so no two
concurrent bookings ever lock the same inventory row (SELECT … FOR UPDATE): in A
the hotel's audit chain is the only lock the clients share. bookings/s is the 201s
completed in the window / the window's seconds.

While each scenario runs, this process samples pg_stat_activity joined to the
ungranted rows of pg_locks for the clients' connections (application_name
`bench-booking`) and counts the samples by what each backend was doing: running,
waiting on the audit chain's advisory key (classid/objid computed from
security.locking.lock_key), on another advisory key (the guests'), on a row lock,
on I/O (WAL at COMMIT), or idle in/outside a transaction (Python on the client
side). Each client also times how long it holds the chain: from its
`pg_advisory_xact_lock(<chain key>)` returning to COMMIT returning.

Uses DATABASE_URL / REDIS_URL (PostgreSQL: the advisory locks and pg_stat_activity
exist only there). The hotels are removed at the end; on PostgreSQL the
append-only audit trail refuses, so they are left deactivated.
"""
import argparse
import logging
import multiprocessing as mp
import os
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import common
from common import DAY, Hotel, percentile, spread
from django.conf import settings
from django.db import connection, connections
from suite import Request, call

from hotelagent.wsgi import application as product_app
from security.chain import chain_name
from security.locking import lock_key

APP_NAME = "bench-booking"  # application_name of the clients' connections, what the sampler filters on
PAIRS = 178  # 2-night stays arriving on days 1, 3, … 355: within the 365 nights create_hotel opens
SLOTS = PAIRS * len(common.ROOM_TYPES)  # (room type, arrival) pairs that never share a night
WARMUP = 3  # untimed bookings per client before the window (connection, caches)
MAX_CLIENTS, MAX_SEQ = 64, 20_000  # guests' phone numbers: +34 6 and 8 digits built from these


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    clients: int
    hotels: tuple[Hotel, ...]  # client c books at hotels[c % len(hotels)]


@dataclass
class Job:
    scenario: Scenario
    tag: int  # unique per (round, scenario): keeps guests unique across the run
    client: int
    seconds: float


@dataclass
class ClientResult:
    client: int
    booked: int = 0
    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)  # ms, booked requests
    holds: list[float] = field(default_factory=list)  # ms, chain lock acquired -> COMMIT returned
    error: str = ""


@dataclass
class Outcome:
    """One scenario over all rounds."""
    scenario: Scenario
    rates: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    holds: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    samples: Counter = field(default_factory=Counter)  # backend samples by category
    ticks: int = 0  # sampling instants
    chain_held: int = 0  # sum over instants of the scenario's chains held by some transaction

    def chain_busy(self) -> float:
        """The share of time each of the scenario's chain locks was held (mean over its hotels)."""
        return self.chain_held / max(1, self.ticks * len(self.scenario.hotels))


# --- the requests ---------------------------------------------------------------------------------

def booking_request(hotel: Hotel, job: Job, seq: int) -> Request:
    """A 2-night booking in this client's own slot (room type, arrival), by a guest never seen before."""
    clients = job.scenario.clients
    usable = SLOTS - SLOTS % clients  # a multiple of clients: slot ≡ client (mod clients) always
    slot = (seq * clients + job.client) % usable
    check_in = hotel.today + (1 + 2 * (slot // len(common.ROOM_TYPES))) * DAY
    uid = (job.tag * MAX_CLIENTS + job.client) * MAX_SEQ + seq % MAX_SEQ
    body = common.json.dumps({
        "check_in": check_in.isoformat(), "check_out": (check_in + 2 * DAY).isoformat(),
        "room_type": common.ROOM_TYPES[slot % len(common.ROOM_TYPES)][0], "guests": 2,
        "guest_name": f"Concurrent Guest {uid}", "guest_email": f"c{uid}@bench.example",
        "guest_phone": f"+346{uid:08d}",
    }).encode()
    return Request("POST", "/api/v1/reservations/", body=body,
                   headers={"Authorization": f"Api-Key {hotel.api_key}"}, expect=201)


class ChainHold:
    """Times, on this process's Django connection, how long each transaction holds
    `chain_key`: from its pg_advisory_xact_lock returning to COMMIT returning."""

    def __init__(self, chain_key: int):
        self.connection = connections["default"]  # the wrapper itself: django.db.connection is a proxy
        self.chain_key = chain_key
        self.acquired: float | None = None
        self.holds: list[float] = []

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if "pg_advisory_xact_lock" in sql and params and params[0] == self.chain_key:
            self.acquired = time.perf_counter()
        return result

    def _commit(self):
        result = type(self.connection).commit(self.connection)
        if self.acquired is not None:
            self.holds.append((time.perf_counter() - self.acquired) * 1000)
            self.acquired = None
        return result

    def _rollback(self):
        self.acquired = None
        return type(self.connection).rollback(self.connection)

    def install(self) -> None:
        self.connection.execute_wrappers.append(self)
        self.connection.commit = self._commit  # what transaction.atomic calls on the way out
        self.connection.rollback = self._rollback


# --- one client (a child process) ---------------------------------------------------------------

def client_main(job: Job, barrier, results) -> None:
    """A child process: warm up, wait for the others, book for `job.seconds`, report."""
    outcome = ClientResult(job.client)
    try:
        connection.settings_dict.setdefault("OPTIONS", {})["application_name"] = APP_NAME
        hotel = job.scenario.hotels[job.client % len(job.scenario.hotels)]
        hold = ChainHold(lock_key(f"audit-chain:{chain_name(hotel.tenant.pk)}"))
        hold.install()
        for seq in range(WARMUP):
            call(product_app, booking_request(hotel, job, seq))
        hold.holds.clear()
        barrier.wait(timeout=120)
        book_until(job, hotel, outcome, time.perf_counter() + job.seconds)
        outcome.holds = hold.holds
    except Exception as error:  # reported by the parent, which must not wait forever
        barrier.abort()
        outcome.error = f"{type(error).__name__}: {error}"
    finally:
        common.close_connections()
        results.put(outcome)


def book_until(job: Job, hotel: Hotel, outcome: ClientResult, deadline: float) -> None:
    seq = WARMUP
    while True:
        status, content, seconds = call(product_app, booking_request(hotel, job, seq))
        seq += 1
        if time.perf_counter() > deadline:
            return  # finished after the window: not counted
        outcome.statuses[status] += 1
        if status == 201:
            outcome.booked += 1
            outcome.latencies.append(seconds * 1000)
        elif sum(outcome.statuses.values()) - outcome.booked <= 2:
            print(f"  client {job.client}: unexpected {status}: {content[:300]!r}", file=sys.stderr)


# --- sampling PostgreSQL --------------------------------------------------------------------------

SAMPLE_SQL = """
    SELECT a.state, a.wait_event_type, a.wait_event, l.locktype, l.classid::bigint, l.objid::bigint
    FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
    WHERE a.application_name = %s AND a.pid <> pg_backend_pid()
"""
HELD_SQL = "SELECT classid::bigint, objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted"
CHAIN = "lock: audit chain (advisory)"
GUEST = "lock: other advisory (guest)"
ROW = "lock: row (FOR UPDATE / unique)"


def advisory_id(key: int) -> tuple[int, int]:
    """pg_locks' (classid, objid) of a bigint advisory key: its high and low 32 bits."""
    unsigned = key & 0xFFFF_FFFF_FFFF_FFFF
    return unsigned >> 32, unsigned & 0xFFFF_FFFF


def classify(row: tuple, chain_ids: set[tuple[int, int]]) -> str:
    state, wait_type, wait_event, locktype, classid, objid = row
    if state == "idle":
        return "idle: client-side Python (or waiting for a core), no transaction"
    if state and state.startswith("idle in transaction"):
        return "idle in transaction: client-side Python, its locks held"
    if wait_type is None:
        return "running in PostgreSQL"
    if wait_type != "Lock":
        return f"{wait_type}: {wait_event}"
    if locktype == "advisory":
        return CHAIN if (classid, objid) in chain_ids else GUEST
    if locktype in ("transactionid", "tuple"):
        return ROW
    if locktype is None:  # the two views are read one after the other
        return f"lock: {wait_event}, granted before pg_locks was read"
    return f"lock: {locktype}"


def sampler_connection():
    import psycopg

    return psycopg.connect(**connection.get_connection_params(), autocommit=True)


def chain_ids_of(hotels) -> set[tuple[int, int]]:
    return {advisory_id(lock_key(f"audit-chain:{chain_name(hotel.tenant.pk)}")) for hotel in hotels}


def sample(conn, seconds: float, interval: float, chain_ids: set[tuple[int, int]], outcome: Outcome) -> None:
    """Every `interval` until `seconds` are over: what each client's backend is doing,
    and which of the scenario's chain locks are held."""
    own = chain_ids_of(outcome.scenario.hotels)
    deadline = time.perf_counter() + seconds
    with conn.cursor() as cursor:
        while time.perf_counter() < deadline:
            cursor.execute(SAMPLE_SQL, [APP_NAME])
            outcome.samples.update(classify(row, chain_ids) for row in cursor.fetchall())
            cursor.execute(HELD_SQL)
            outcome.chain_held += len(own & set(cursor.fetchall()))
            outcome.ticks += 1
            time.sleep(interval)


# --- one scenario, one round ----------------------------------------------------------------------

def run_round(scenario: Scenario, tag: int, args, outcome: Outcome, chain_ids: set[tuple[int, int]]) -> None:
    """Fork the clients, sample while they book, collect their results."""
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(scenario.clients + 1), ctx.Queue()
    common.close_connections()  # never share a connection with a child
    children = [ctx.Process(target=client_main, args=(Job(scenario, tag, c, args.seconds), barrier, results))
                for c in range(scenario.clients)]
    for child in children:
        child.start()
    conn, started = sampler_connection(), True
    try:
        barrier.wait(timeout=180)
        sample(conn, args.seconds, args.sample_interval, chain_ids, outcome)
    except threading.BrokenBarrierError:
        started = False  # a client failed before the window: its error says why
    finally:
        conn.close()
    clients = [results.get(timeout=300) for _ in children]
    for child in children:
        child.join()
    errors = [client.error for client in clients if client.error]
    if errors or not started:
        raise RuntimeError(f"scenario {scenario.key}: {errors[0] if errors else 'the clients did not start'}")
    outcome.rates.append(sum(client.booked for client in clients) / args.seconds)
    for client in clients:
        outcome.latencies += client.latencies
        outcome.holds += client.holds
        outcome.statuses.update(client.statuses)


def measure(scenarios: list[Scenario], args) -> dict[str, Outcome]:
    outcomes = {scenario.key: Outcome(scenario) for scenario in scenarios}
    hotels = {hotel.tenant.pk: hotel for scenario in scenarios for hotel in scenario.hotels}
    chain_ids = chain_ids_of(hotels.values()) | {advisory_id(lock_key(f"audit-chain:{chain_name(None)}"))}
    for number in range(args.rounds):
        order = scenarios if number % 2 == 0 else scenarios[::-1]
        for scenario in order:
            run_round(scenario, number * len(scenarios) + scenarios.index(scenario), args,
                      outcomes[scenario.key], chain_ids)
            print(f"  round {number + 1}/{args.rounds} {scenario.key}: "
                  f"{outcomes[scenario.key].rates[-1]:.1f} bookings/s", file=sys.stderr, flush=True)
    return outcomes


# --- the report -----------------------------------------------------------------------------------

def ratio(a: Outcome, b: Outcome) -> list[float]:
    return [x / y for x, y in zip(a.rates, b.rates, strict=True)]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def rates(values: list[float]) -> str:
    return f"{min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f}"


def rate_table(outcomes: dict[str, Outcome]) -> str:
    header = ["scenario", "bookings/s min / median / max", "per client (median)", "p50 / p99 ms",
              "chain held p50 / mean ms", "chain lock busy", "non-201"]
    rows = []
    for o in outcomes.values():
        other = {status: n for status, n in o.statuses.items() if status != 201}
        rows.append([
            f"{o.scenario.key}: {o.scenario.label}", rates(o.rates),
            f"{median(o.rates) / o.scenario.clients:.1f}",
            f"{percentile(o.latencies, .5):.1f} / {percentile(o.latencies, .99):.1f}",
            f"{percentile(o.holds, .5):.2f} / {statistics.fmean(o.holds):.2f}" if o.holds else "—",
            f"{o.chain_busy():.0%}", str(other or 0),
        ])
    return common.markdown(rows, header)


def wait_table(outcomes: dict[str, Outcome]) -> str:
    categories = sorted({c for o in outcomes.values() for c in o.samples},
                        key=lambda c: -outcomes["A"].samples[c])
    header = ["what a client's backend was doing", *(f"{key}: share of samples" for key in outcomes)]
    rows = []
    for category in categories:
        rows.append([category] + [f"{o.samples[category] / max(1, sum(o.samples.values())):.1%}"
                                  for o in outcomes.values()])
    rows.append(["(sampling instants; backend samples)"]
                + [f"{o.ticks}; {sum(o.samples.values())}" for o in outcomes.values()])
    return common.markdown(rows, header)


def lock_shares(outcome: Outcome) -> dict[str, float]:
    """Each lock's share of the samples that waited for a lock."""
    waits = {c: n for c, n in outcome.samples.items() if c.startswith("lock:")}
    total = sum(waits.values())
    return {c: n / total for c, n in sorted(waits.items(), key=lambda item: -item[1])} if total else {}


def conclusion(outcomes: dict[str, Outcome]) -> str:
    """The chain lock limits one hotel when one hotel books clearly less than N hotels (A/B ≤ 0.8),
    its chain is held most of the time (≥ 80 %) and it is what the waiting clients wait for."""
    a, b, c = outcomes["A"], outcomes["B"], outcomes["C"]
    ab = median(ratio(a, b))
    chain_share = lock_shares(a).get(CHAIN, 0.0)
    waiting = a.samples[CHAIN] / max(1, a.ticks)  # clients waiting on the chain, on average
    limits = ab <= 0.8 and a.chain_busy() >= 0.8 and chain_share >= 0.5
    mean_hold, alone = statistics.fmean(a.holds), statistics.fmean(c.holds)
    figures = (
        f"A {median(a.rates):.1f} vs B {median(b.rates):.1f} bookings/s (A/B {ab:.2f}; C alone "
        f"{median(c.rates):.1f}); in A the chain lock was held {a.chain_busy():.0%} of the time, "
        f"{waiting:.2f} of {a.scenario.clients} clients waited on it on average "
        f"({a.samples[CHAIN] / max(1, sum(a.samples.values())):.1%} of backend samples, {chain_share:.0%} "
        f"of lock waits); B/C {median(ratio(b, c)):.2f} with {b.scenario.clients} clients; the chain held "
        f"{mean_hold:.2f} ms per booking in A, {alone:.2f} ms in C: one hotel's "
        f"ceiling ~{1000 / mean_hold:.0f} bookings/s at A's hold, ~{1000 / alone:.0f} at C's"
    )
    verdict = "the chain lock limits one hotel's bookings" if limits else "it does not"
    return f"CONCLUSION: {verdict}: {figures}.\n{bound(outcomes)}"


def bound(outcomes: dict[str, Outcome]) -> str:
    """What the serial part of one booking allows however many cores there are."""
    b, c = outcomes["B"], outcomes["C"]
    serial = c.chain_busy()  # the share of a lone client's time its booking holds the chain
    if not serial:
        return "BOUND: the chain lock was never seen held in C."
    return (f"BOUND: a lone client holds the chain {serial:.0%} of its time, so one hotel books at most "
            f"~{1 / serial:.1f}× C (~{median(c.rates) / serial:.0f} bookings/s) with idle cores to spare; "
            f"here the cores cap {b.scenario.clients} clients at {median(ratio(b, c)):.2f}× C first (B).")


def report(outcomes: dict[str, Outcome], args) -> None:
    print()
    print(rate_table(outcomes))
    print()
    for pair, label in (("A", "B"), ("A", "C"), ("B", "C")):
        print(f"ratio {pair}/{label} min / median / max over rounds: "
              f"{spread(ratio(outcomes[pair], outcomes[label]))}")
    print()
    print(wait_table(outcomes))
    print()
    for key, outcome in outcomes.items():
        shares = ", ".join(f"{c.removeprefix('lock: ')} {s:.0%}" for c, s in lock_shares(outcome).items())
        print(f"lock waits in {key}, share per lock: {shares or 'none sampled'}")
    print()
    print(f"{args.rounds} rounds of {args.seconds:g} s per scenario, scenarios alternating "
          f"(A B C, C B A, …); sampled every {args.sample_interval * 1000:.0f} ms.")
    print(conclusion(outcomes))
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} cores; "
          f"the clients themselves count)")


# --- main -----------------------------------------------------------------------------------------

def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent client processes in A and B")
    parser.add_argument("--seconds", type=float, default=5.0, help="window per scenario and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (≥ 3)")
    parser.add_argument("--sample-interval", type=float, default=0.02, metavar="SECONDS",
                        help="pause between pg_stat_activity samples (default 0.02)")
    parser.add_argument("--flush-redis", action="store_true",
                        help="FLUSHDB REDIS_URL's database at the end (else delete only the Celery list)")
    args = parser.parse_args()
    if args.rounds < 3:
        parser.error("--rounds must be at least 3")
    if not 2 <= args.clients <= MAX_CLIENTS:
        parser.error(f"--clients must be between 2 and {MAX_CLIENTS}")
    if args.rounds * 3 * MAX_CLIENTS * MAX_SEQ >= 10**8:
        parser.error("too many rounds for unique guest phone numbers")
    return args


def main() -> int:
    args = parse_args()
    if connection.vendor != "postgresql":
        print("needs PostgreSQL (advisory locks, pg_stat_activity): set DATABASE_URL", file=sys.stderr)
        return 2
    settings.DEBUG = False  # DEBUG's query log would be measured too
    # Its "SECRETS_ENCRYPTION_KEYS is not set" warning comes once per process: once per client here.
    logging.getLogger("security.secret_store").setLevel(logging.ERROR)
    print(common.environment_line())
    print(f"{args.clients} client processes (fork), in-process WSGI calls of POST /api/v1/reservations/",
          flush=True)
    hotels = [common.create_hotel() for _ in range(args.clients + 1)]
    one, spread_over = hotels[0], tuple(hotels[1:])
    scenarios = [
        Scenario("A", f"{args.clients} clients, one hotel", args.clients, (one,)),
        Scenario("B", f"{args.clients} clients, {args.clients} hotels", args.clients, spread_over),
        Scenario("C", "1 client, one hotel", 1, (one,)),
    ]
    try:
        outcomes = measure(scenarios, args)
        report(outcomes, args)
    finally:
        for hotel in hotels:
            common.remove_hotel(hotel)
        print(common.cleanup_redis(flush=args.flush_redis))
    return 0


if __name__ == "__main__":
    sys.exit(main())
