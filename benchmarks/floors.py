"""Where the webhook's 0.8× target meets its floor: the costs a delivery pays that
the raw intake reference does not, each measured against the reference's own step
in the same run, alternating, min / median / max over the rounds.

    .venv/bin/python benchmarks/floors.py [--rounds 5] [--calls 400]

- **the row**: storing one delivery's message as the webhook does (`store_inbound`:
  the ORM's INSERT … ON CONFLICT into webhooks_inboundmessage, with its foreign
  keys checked and its eight indexes), and the same INSERT as raw SQL on the
  reference's connection, against the reference's INSERT into its one-index table;
- **the queue**: queueing its processing as the webhook does (`publish`: Celery's
  message written by webhooks/task_messages.py, one LPUSH) against the reference's
  bare LPUSH of an id; Celery's own publisher (`enqueue`) is printed beside it;
- **the envelope**: reading the delivery (`whatsapp_delivery`: the envelope's
  checks, sanitizing, the guest's number, tenant routing) against the reference's
  `json.loads` and four subscripts;
- **the framework**: the bare Django view through the product's middleware against
  a plain WSGI callable answering the same JSON — what a plain delivery no longer
  pays since the WSGI front (hotelagent/intake_wsgi.py) answers it, printed for
  the record and not added.

It ends with the ratio the webhook could reach if everything else it does (the
front's headers, metrics and signals) cost nothing: the reference's time over the
reference's time plus the row, the queue and the envelope. Needs DATABASE_URL and
REDIS_URL (the figures mean nothing on SQLite and local memory).
"""
import argparse
import json
import statistics
import time
import uuid

import common
import intake_reference
import suite
from django.conf import settings

from webhooks.gateway import whatsapp_delivery
from webhooks.intake import store_inbound
from webhooks.task_messages import publish
from webhooks.tasks import enqueue, process_inbound_message

PAID = ("the row (ORM, product table)", "the queue", "the envelope")  # what a plain delivery pays

_INBOUND_SQL = (
    "INSERT INTO webhooks_inboundmessage (tenant_id, channel, channel_account_id, account_external_id,"
    " external_id, sender_id, sender_phone, sender_name, message_type, text, reply_to_id, payload, sent_at,"
    " status, error, attempts, received_at) VALUES (%s, 'whatsapp', %s, %s, %s, %s, %s, %s, 'text', %s, '',"
    " %s, %s, 'received', '', 0, now()) ON CONFLICT DO NOTHING RETURNING id"
)


def wsgi_hello(environ, start_response):
    body = b'{"status":"ok"}'
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def timed(step, calls: int) -> float:
    """µs per call of `step(i)`, only the calls timed."""
    spent = 0.0
    for i in range(calls):
        started = time.perf_counter()
        step(i)
        spent += time.perf_counter() - started
    return spent / calls * 1e6


def report(figures: dict[str, tuple[list[float], list[float]]], reference_us: float) -> None:
    print("\n| cost | product µs | reference µs | difference µs (min / median / max) |")
    print("|---|---|---|---|")
    extra = 0.0
    for name, (product, ref) in figures.items():
        differences = [p - r for p, r in zip(product[1:], ref[1:], strict=True)]
        print(f"| {name} | {statistics.median(product[1:]):.0f} | {statistics.median(ref[1:]):.0f} | "
              f"{min(differences):.0f} / {statistics.median(differences):.0f} / {max(differences):.0f} |")
        if name in PAID:
            extra += statistics.median(differences)
    floor = reference_us + extra
    print(f"\nraw intake reference: {reference_us:.0f} µs per delivery (HMAC, JSON, INSERT, LPUSH)")
    print(f"webhook floor = reference + the row (ORM) + the queue + the envelope = {floor:.0f} µs;")
    print(f"best ratio in this design: {reference_us / floor:.2f}× (target 0.8×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=400)
    args = parser.parse_args()
    settings.DEBUG = False
    print(common.environment_line())
    hotel = common.create_hotel(warm_days=0)
    try:
        messages = [whatsapp_delivery(json.loads(common.delivery(hotel.phone_number_id)[0])).messages[0]
                    for _ in range(args.calls * (args.rounds + 1) * 2)]
        reference = intake_reference.database()
        redis = intake_reference.queue()

        bodies = [common.delivery(hotel.phone_number_id)[0] for _ in range(args.calls * (args.rounds + 1))]
        reference_bodies = list(bodies)

        def reference_parse(_i):
            message = json.loads(reference_bodies.pop())["entry"][0]["changes"][0]["value"]["messages"][0]
            return message["id"], message["from"], message.get("text", {}).get("body", "")

        def reference_lpush(i):
            redis.lpush(intake_reference.QUEUE_KEY, str(i))

        def reference_insert(_i):
            reference.execute(intake_reference._INSERT, (uuid.uuid4().hex, "34600000001", "hola", "{}"))

        def raw_inbound_insert(i):
            m = messages.pop()
            reference.execute(_INBOUND_SQL, (
                m.tenant_id, m.channel_account_id, m.account_external_id, m.message_id, m.sender_id,
                m.sender_phone, m.sender_name, m.text, json.dumps(m.raw), m.timestamp)).fetchone()

        def request(app, path):
            side = suite.Side(path, app, lambda _i: suite.Request("GET", path))
            return lambda _i: side.send()

        def delivery():
            body, signature = common.delivery(hotel.phone_number_id)
            return suite.Request("POST", "/webhooks/whatsapp/", body=body,
                                 headers={"X-Hub-Signature-256": signature})

        pairs = {
            "the row (ORM, product table)": (lambda _i: store_inbound(messages.pop()), reference_insert),
            "the row (raw SQL, product table)": (raw_inbound_insert, reference_insert),
            "the queue": (lambda _i: publish(process_inbound_message, 1), reference_lpush),
            "the queue through Celery's publisher": (lambda _i: enqueue(process_inbound_message, 1),
                                                     reference_lpush),
            "the envelope": (lambda _i: whatsapp_delivery(json.loads(bodies.pop())), reference_parse),
            "the framework": (request(suite.product_app, "/bench/django/"), request(wsgi_hello, "/")),
        }
        intake = suite.Side("raw intake", intake_reference.application, lambda _i: delivery())
        figures = {name: ([], []) for name in pairs}
        whole = []
        for _ in range(args.rounds + 1):  # the first round warms up and is not kept
            for name, (product, ref) in pairs.items():
                figures[name][1].append(timed(ref, args.calls))
                figures[name][0].append(timed(product, args.calls))
            whole.append(timed(lambda _i: intake.send(), args.calls))
        report(figures, statistics.median(whole[1:]))
    finally:
        common.clean_up(hotel)


if __name__ == "__main__":
    main()
