"""`make bench-http`: the signed WhatsApp delivery through gunicorn next to the raw
intake app through gunicorn, under load, alternating in rounds; then 10,000 mixed
requests and each gunicorn worker's resident memory.

    .venv/bin/python benchmarks/http_suite.py [--rounds 3] [--seconds 3] [--mixed 10000] [--flush-redis]

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL) and, preferably, wrk
(`apt-get install -y wrk`; else loadgen.py, Python threads). Two servers, each
gunicorn with 2 sync workers on 127.0.0.1:
- the product, `deploy/gunicorn.conf.py` (production's configuration: metrics in
  multiprocess mode) serving benchmarks/bench_wsgi.py, i.e. hotelagent.wsgi with
  the references under /bench/, with production settings: DJANGO_DEBUG=false, a
  random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,localhost, and `X-Forwarded-Proto:
  https` on every request as the TLS proxy would send (SECURE_SSL_REDIRECT);
- the raw intake reference, benchmarks/intake_reference.py.
No Celery worker: the webhook's messages go to a Redis list nobody consumes,
deleted at the end (the whole database with --flush-redis).
"""
import argparse
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The suite's own process and both servers must share SECRET_KEY: the hotel's API key is made here.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

import common  # noqa: E402 - sets up Django (this process seeds the hotel)
import httpx  # noqa: E402
import intake_reference  # noqa: E402
from common import DAY, spread  # noqa: E402
from django.conf import settings  # noqa: E402

ROOT = common.HERE.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
MEMORY_LIMIT_MIB = 150
P99_LIMIT_MS = 25.0
MIX = "wwwwwwwwwwwaaaaaaddt"  # 55 % deliveries, 30 % availability, 10 % bare view, 5 % agent turns


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (≥ 3)")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds of load per run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="load generator threads (wrk -t)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server")
    parser.add_argument("--port", type=int, default=8851, help="product's port; the reference's is the next")
    parser.add_argument("--bodies", type=int, default=20000, help="signed deliveries written per run")
    parser.add_argument("--mixed", type=int, default=10000, help="mixed requests before reading RSS")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--flush-redis", action="store_true",
                        help="FLUSHDB REDIS_URL's database at the end (else delete only the lists used)")
    args = parser.parse_args()
    if args.rounds < 3:
        parser.error("--rounds must be at least 3")
    if args.loadgen == "auto":
        args.loadgen = "wrk" if shutil.which("wrk") else "python"
    return args


class Server:
    def __init__(self, name: str, app: str, port: int, workers: int, env: dict, config: bool):
        self.name, self.port = name, port
        command = [GUNICORN, "--workers", str(workers), "--threads", "1", "--bind", f"127.0.0.1:{port}",
                   "--pythonpath", str(common.HERE), "--log-level", "warning", app]
        if config:
            command[1:1] = ["-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
        # Kept open for the server's life, removed by stop().
        self.log = tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def wait(self, probe, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if probe():
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not start; its log: {self.log.name}\n"
                           + Path(self.log.name).read_text()[-3000:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        os.unlink(self.log.name)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def write_bodies(hotel, count: int) -> str:
    with tempfile.NamedTemporaryFile("w", prefix="bench-bodies-", suffix=".tsv", delete=False,
                                     encoding="utf-8") as out:
        for _ in range(count):
            body, signature = common.delivery(hotel.phone_number_id)
            out.write(f"{signature}\t{body.decode()}\n")
    return out.name


class Load:
    def __init__(self, args, hotel):
        self.args, self.hotel = args, hotel
        self.script = str(common.HERE / "wrk_bench.lua")

    def run(self, url: str, mode: str, *, seconds: float, bodies: str | None = None,
            mix: dict | None = None) -> dict:
        if self.args.loadgen == "python":
            from loadgen import run

            return run(url, mode=mode, seconds=seconds, connections=self.args.connections, bodies=bodies,
                       mix=mix)
        env = {**os.environ, "BENCH_MODE": mode, "BENCH_THREADS": str(self.args.threads)}
        if bodies:
            env["BENCH_BODIES"] = bodies
        if mix:
            env.update(BENCH_MIX=mix["pattern"], BENCH_API_KEY=mix["api_key"],
                       BENCH_TURN_TEXT=mix["turn_text"],
                       BENCH_DATES=";".join(f"{a},{b}" for a, b in mix["dates"]))
        command = ["wrk", f"-t{self.args.threads}", f"-c{self.args.connections}", f"-d{seconds:g}s",
                   "--timeout", "10s", "-s", self.script, url]
        done = subprocess.run(  # noqa: S603 - wrk with arguments built here
            command, env=env, capture_output=True, text=True, timeout=seconds + 30)
        output = done.stdout
        if done.returncode or done.stderr.strip():
            raise RuntimeError(
                f"wrk failed ({done.returncode}): {done.stderr.strip()[:2000]}\n{output[-2000:]}")
        for line in output.splitlines():
            if line.startswith("BENCH "):
                return json.loads(line[len("BENCH "):])
        raise RuntimeError(f"wrk printed no result:\n{output}")

    def signed(self, url: str) -> dict:
        bodies = write_bodies(self.hotel, self.args.bodies)
        try:
            return self.run(url, "signed", seconds=self.args.seconds, bodies=bodies)
        finally:
            os.unlink(bodies)


def rate(result: dict) -> float:
    return result["requests"] / result["seconds"]


def describe(label: str, result: dict) -> str:
    line = (f"  {label:<34} {rate(result):8.1f} req/s  p50 {result['p50_ms']:7.2f} ms  p99 "
            f"{result['p99_ms']:7.2f} ms  max {result['max_ms']:7.1f} ms  2xx {result['ok']}")
    if result["non2xx"] or result["socket_errors"]:
        line += f"  non-2xx {result['non2xx']} (last {result['last_bad_status']})  socket errors " \
                f"{result['socket_errors']}"
    if result.get("wraps"):
        line += f"  (bodies reused {result['wraps']}×: duplicates, not stored)"
    return line


def rounds(args, load: Load, product: Server, reference: Server) -> dict[str, list[dict]]:
    runs = {
        "intake": lambda: load.signed(reference.url("/")),
        "webhook": lambda: load.signed(product.url("/webhooks/whatsapp/")),
        "django": lambda: load.run(product.url("/bench/django/"), "get", seconds=args.seconds),
    }
    results: dict[str, list[dict]] = {name: [] for name in runs}
    for run in runs.values():  # fresh workers: imports, connections, caches; not measured
        run()
    for number in range(args.rounds):
        order = list(runs) if number % 2 == 0 else list(reversed(runs))
        print(f"round {number + 1}/{args.rounds} ({', '.join(order)}):")
        for name in order:
            results[name].append(runs[name]())
            print(describe(name, results[name][-1]), flush=True)
    return results


def table(results: dict[str, list[dict]], args) -> str:
    intake = [rate(r) for r in results["intake"]]
    lines = []
    for name, label, target in (
        ("webhook", "signed WhatsApp delivery `POST /webhooks/whatsapp/`", True),
        ("django", "bare Django view `/bench/django/` (same gunicorn)", False),
    ):
        rates = [rate(r) for r in results[name]]
        ratios = [s / r for s, r in zip(rates, intake, strict=True)]
        p99s = [r["p99_ms"] for r in results[name]]
        failures = sum(r["non2xx"] + r["socket_errors"] for r in results[name])
        if target:
            missed = [part for part, bad in (("ratio", statistics.median(ratios) < 0.8),
                                             ("p99", statistics.median(p99s) > P99_LIMIT_MS),
                                             (f"{failures} failed", failures)) if bad]
            verdict = ("MISS (" + ", ".join(missed) + ")") if missed else "PASS"
            goal = f"≥ 0.8×, p99 ≤ {P99_LIMIT_MS:g} ms at {args.connections} connections"
        else:
            verdict, goal = "—", "(framework floor, no target)"
        lines.append([label, "raw intake app (gunicorn)", f"{statistics.median(intake):.0f}",
                      f"{statistics.median(rates):.0f}", spread(ratios),
                      f"{statistics.median(r['p50_ms'] for r in results[name]):.1f} / "
                      f"{min(p99s):.1f}–{max(p99s):.1f}", goal, verdict])
    header = ["scenario", "reference", "ref req/s", "scenario req/s", "ratio min / median / max",
              "p50 / p99 (range) ms", "target", "result"]
    return common.markdown(lines, header)


def mixed(args, load: Load, hotel, product: Server) -> tuple[dict, list[tuple[int, float, float]]]:
    """At least args.mixed requests, in runs of args.seconds (wrk cannot stop at a count and still
    time the run), each with fresh signed deliveries; then each worker's RSS."""
    before = {pid: rss_mib(pid) for pid in product.workers()}
    stays = [(hotel.today + (1 + i) * DAY, hotel.today + (1 + i + (2 if i % 4 else 60)) * DAY)
             for i in range(60)]
    mix = {"pattern": MIX, "api_key": hotel.api_key, "turn_text": common.turn_text(hotel),
           "dates": [(a.isoformat(), b.isoformat()) for a, b in stays]}
    chunks: list[dict] = []
    while sum(chunk["requests"] for chunk in chunks) < args.mixed:
        bodies = write_bodies(hotel, args.bodies // 4)
        try:
            chunks.append(load.run(product.url("/"), "mixed", seconds=args.seconds, bodies=bodies, mix=mix))
        finally:
            os.unlink(bodies)
    total = {key: sum(chunk[key] for chunk in chunks)
             for key in ("requests", "seconds", "ok", "non2xx", "socket_errors", "wraps")}
    total.update(p50_ms=statistics.median(c["p50_ms"] for c in chunks),
                 p99_ms=max(c["p99_ms"] for c in chunks),
                 max_ms=max(c["max_ms"] for c in chunks),
                 last_bad_status=max(c["last_bad_status"] for c in chunks))
    return total, [(pid, before.get(pid, float("nan")), rss_mib(pid)) for pid in product.workers()]


def start_servers(args, metrics_dir: str) -> tuple[Server, Server]:
    env = {**os.environ, "DJANGO_DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "DJANGO_ENV_FILE": "",
           "LOG_LEVEL": "WARNING", "WHATSAPP_APP_SECRET": settings.WHATSAPP_APP_SECRET,
           "BENCH_CELERY_QUEUE": common.CELERY_QUEUE,
           "PROMETHEUS_MULTIPROC_DIR": metrics_dir}
    product = Server("product", "bench_wsgi:application", args.port, args.workers, env, config=True)
    reference = Server("intake", "intake_reference:application", args.port + 1, args.workers, env,
                       config=False)
    headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    product.wait(lambda: httpx.get(product.url("/bench/django/"), headers=headers).status_code == 200)
    reference.wait(lambda: httpx.get(reference.url("/")).status_code == 405)
    return product, reference


def main() -> int:
    args = parse_args()
    if not settings.REDIS_URL or common.connection.vendor != "postgresql":
        print("make bench-http needs PostgreSQL and Redis: set DATABASE_URL and REDIS_URL", file=sys.stderr)
        return 2
    print(common.environment_line())
    print(f"load generator: {args.loadgen} ({args.threads} threads, {args.connections} connections, "
          f"{args.seconds:g} s per run); gunicorn: {args.workers} sync workers per server, DEBUG off")
    hotel = common.create_hotel()
    intake_reference.database()  # its table, before two workers race to create it
    product = reference = None
    metrics_dir = tempfile.mkdtemp(prefix="bench-metrics-")
    try:
        product, reference = start_servers(args, metrics_dir)
        load = Load(args, hotel)
        results = rounds(args, load, product, reference)
        print(f"\nmixed: {args.mixed} requests ({MIX.count('w')}/{len(MIX)} signed deliveries, "
              f"{MIX.count('a')}/{len(MIX)} availability 2 or 60 nights, "
              f"{MIX.count('d')}/{len(MIX)} bare view, "
              f"{MIX.count('t')}/{len(MIX)} agent turns)…", flush=True)
        result, memory = mixed(args, load, hotel, product)
        print(describe("mixed", result) + "  (p99: worst run)")
        print()
        print(table(results, args))
        print()
        rows = [[f"worker {pid}", f"{start:.1f}", f"{end:.1f}", f"< {MEMORY_LIMIT_MIB}",
                 "PASS" if end < MEMORY_LIMIT_MIB else "MISS"] for pid, start, end in memory]
        print(common.markdown(rows, ["gunicorn worker (product)", "RSS before mixed MiB",
                                     f"RSS after {result['requests']} mixed MiB", "target MiB", "result"]))
        print()
        print("at the end: " + common.environment_line().splitlines()[0].split("  ", 1)[1])
        failed = sum(r["non2xx"] + r["socket_errors"] for runs in results.values() for r in runs)
        return 1 if failed or result["non2xx"] else 0
    finally:
        for server in (product, reference):
            if server is not None:
                server.stop()
        shutil.rmtree(metrics_dir, ignore_errors=True)
        print(common.clean_up(hotel, flush_redis=args.flush_redis))


if __name__ == "__main__":
    sys.exit(main())
