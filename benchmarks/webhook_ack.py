"""Fire signed WhatsApp deliveries at a running server and print how fast they are
acknowledged, next to a bare Django view (/health/live) on the same server.

    WHATSAPP_APP_SECRET=s make run   # in one terminal (or any deployed server)
    .venv/bin/python benchmarks/webhook_ack.py --url http://127.0.0.1:8000 --secret s

Each delivery carries a fresh wamid, so every request stores a new message; run
it against a disposable database.
"""
import argparse
import hashlib
import hmac
import json
import statistics
import threading
import time
import uuid

import httpx


def delivery(phone_number_id: str) -> bytes:
    return json.dumps({
        "object": "whatsapp_business_account",
        "entry": [{"id": "bench", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "34910000001", "phone_number_id": phone_number_id},
            "contacts": [{"profile": {"name": "Bench"}, "wa_id": "34612345678"}],
            "messages": [{"from": "34612345678", "id": f"wamid.bench.{uuid.uuid4().hex}",
                          "timestamp": str(int(time.time())), "type": "text",
                          "text": {"body": "Hola, ¿tienen habitación?"}}],
        }}]}],
    }).encode()


def run(label: str, requests: int, concurrency: int, send) -> None:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    per_worker = requests // concurrency

    def worker():
        with httpx.Client(timeout=30) as client:
            for _ in range(per_worker):
                started = time.perf_counter()
                status = send(client)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"{label:<22} {len(latencies) / wall:8.1f} req/s   p50 {p50:7.2f} ms   "
          f"p99 {p99:7.2f} ms   statuses {statuses}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--secret", required=True, help="The server's WHATSAPP_APP_SECRET")
    parser.add_argument("--phone-number-id", default="100000000000001")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    def bare(client: httpx.Client) -> int:
        return client.get(f"{args.url}/health/live").status_code

    def webhook(client: httpx.Client) -> int:
        body = delivery(args.phone_number_id)
        signature = "sha256=" + hmac.new(args.secret.encode(), body, hashlib.sha256).hexdigest()
        return client.post(f"{args.url}/webhooks/whatsapp/", content=body, headers={
            "Content-Type": "application/json", "X-Hub-Signature-256": signature,
        }).status_code

    print(f"{args.requests} requests, {args.concurrency} concurrent clients, against {args.url}")
    run("bare view /health/live", args.requests, args.concurrency, bare)
    run("signed delivery", args.requests, args.concurrency, webhook)


if __name__ == "__main__":
    main()
