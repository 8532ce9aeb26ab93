"""A small Python load generator for http_suite.py when wrk is not installed
(`apt-get install -y wrk` is preferred: Python threads on the same 2 cores
measure the generator as much as the server). Same modes as wrk_bench.lua and
the same result dictionary.

    from loadgen import run
    run("http://127.0.0.1:8851/webhooks/whatsapp/", mode="signed", seconds=3, connections=16, bodies=path)
"""
import http.client
import json
import threading
import time
from itertools import count
from urllib.parse import urlsplit

BASE_HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def _requests(url_path: str, mode: str, bodies: str | None, mix: dict | None):
    """An endless iterator of (method, path, body, headers) shared by every connection."""
    signed = []
    if bodies:
        with open(bodies, encoding="utf-8") as lines:
            for line in lines:
                signature, body = line.rstrip("\n").split("\t", 1)
                signed.append((body.encode(), signature))
    sent = count()
    api = {**BASE_HEADERS, "Authorization": f"Api-Key {mix['api_key']}"} if mix else {}

    def one():
        n = next(sent)
        kind = {"signed": "w", "get": "g"}.get(mode) or mix["pattern"][n % len(mix["pattern"])]
        if kind == "w":
            body, signature = signed[n % len(signed)]
            path = url_path if mode == "signed" else "/webhooks/whatsapp/"
            return "POST", path, body, {**BASE_HEADERS, "Content-Type": "application/json",
                                        "X-Hub-Signature-256": signature}
        if kind == "a":
            check_in, check_out = mix["dates"][n % len(mix["dates"])]
            query = f"check_in={check_in}&check_out={check_out}&guests=2"
            return "GET", f"/api/v1/availability/?{query}", b"", api
        if kind == "t":
            body = json.dumps({"sender": f"py-{n}-{time.time_ns()}", "text": mix["turn_text"]}).encode()
            return "POST", "/api/v1/messages/", body, {**api, "Content-Type": "application/json"}
        return "GET", url_path if mode == "get" else "/bench/django/", b"", BASE_HEADERS

    return one


def run(url: str, *, mode: str, seconds: float, connections: int, bodies: str | None = None,
        mix: dict | None = None) -> dict:
    parts = urlsplit(url)
    make = _requests(parts.path or "/", mode, bodies, mix)
    lock = threading.Lock()
    latencies, tally = [], {"ok": 0, "non2xx": 0, "last_bad_status": 0, "socket_errors": 0}
    deadline = time.perf_counter() + seconds

    def worker():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.perf_counter() < deadline:
            with lock:
                method, path, body, headers = make()
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body or None, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                with lock:
                    tally["socket_errors"] += 1
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if 200 <= response.status < 300:
                    tally["ok"] += 1
                else:
                    tally["non2xx"] += 1
                    tally["last_bad_status"] = response.status
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()

    def pct(fraction):
        return latencies[min(len(latencies) - 1, int(len(latencies) * fraction))] if latencies else 0.0

    return {"requests": len(latencies), "seconds": wall, "p50_ms": pct(.5), "p90_ms": pct(.9),
            "p99_ms": pct(.99), "max_ms": latencies[-1] if latencies else 0.0, "wraps": 0, **tally}
