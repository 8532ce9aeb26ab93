"""The WhatsApp Cloud API fails for a while — a minute of 500s, then 429s with
Retry-After — with a real server, worker, beat, PostgreSQL and Redis: every
acknowledged message is answered exactly once when it is back, no reply is
given up, Retry-After is honoured, and a worker restarted during the backoff
loses nothing."""
import time
from collections import Counter

import pytest
from django_scopes import scopes_disabled

from webhooks.models import InboundMessage, OutboundMessage

from .conftest import running_worker, wait_for

pytestmark = [pytest.mark.chaos, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def sweep_soon(settings):
    """A lost retry task is noticed two seconds late instead of a minute."""
    settings.OUTBOUND_SWEEP_AFTER_SECONDS = 2


def guests(count: int, prefix: str) -> list[str]:
    return [f"{prefix}{n:04d}" for n in range(count)]


def replies_by_status() -> Counter:
    with scopes_disabled():
        return Counter(OutboundMessage.objects.values_list("status", flat=True))


def all_sent(count: int):
    return lambda: replies_by_status()["sent"] == count


def report(name: str, meta, graph_api, senders: list[str]) -> dict:
    with scopes_disabled():
        processed = InboundMessage.objects.filter(status="processed").count()
    accepted = Counter(request["json"]["to"] for request in graph_api.accepted)
    figures = {
        "delivered": len(meta.acks), "acknowledged": meta.acknowledged, "processed": processed,
        "graph_calls": len(graph_api.requests), "replied": sum(accepted.values()),
        "duplicates": sum(n - 1 for n in accepted.values() if n > 1),
        "lost": sum(1 for sender in senders if accepted[sender] == 0),
        "statuses": dict(replies_by_status()),
    }
    print(f"\n{name}: " + " ".join(f"{key}={value}" for key, value in figures.items()))
    return figures


def test_a_minute_of_server_errors_then_every_reply_goes_out_once(hotel, worker, beat, graph_api, meta):
    senders = guests(20, "3462210")
    graph_api.fail_for(60, status=500)

    for n, sender in enumerate(senders):
        meta.deliver(f"wamid.minute.{n}", "Hola, tienen habitacion?", sender=sender)

    assert wait_for(all_sent(20), 150, every=0.5)
    figures = report("graph api 60 s outage", meta, graph_api, senders)
    assert figures["acknowledged"] == figures["delivered"] == figures["processed"] == 20
    assert (figures["replied"], figures["duplicates"], figures["lost"]) == (20, 0, 0)
    # The circuit held replies back: far fewer calls than 20 replies retrying for a minute.
    assert figures["graph_calls"] < 20 + 20


def test_errors_then_rate_limits_with_retry_after_then_recovery(hotel, worker, beat, graph_api, meta):
    """The outside run's scenario: 500 for 20 s, then 429 + Retry-After: 10 for 20 s."""
    senders = guests(20, "3462220")
    began = time.monotonic()
    graph_api.fail_for(20, status=500)

    for n, sender in enumerate(senders):
        meta.deliver(f"wamid.mixed.{n}", "Buenas, precio para 2?", sender=sender)
    time.sleep(max(0.0, began + 20 - time.monotonic()))
    graph_api.fail_for(20, status=429, headers={"Retry-After": "10"})

    assert wait_for(all_sent(20), 150, every=0.5)
    figures = report("graph api 500 then 429", meta, graph_api, senders)
    assert (figures["replied"], figures["duplicates"], figures["lost"]) == (20, 0, 0)
    assert figures["statuses"] == {"sent": 20}
    for sender in senders:
        calls = [request for request in graph_api.requests if request["json"]["to"] == sender]
        for limited, following in zip(calls, calls[1:], strict=False):
            if limited["answered"] == 429:
                assert following["at"] - limited["at"] >= 10 - 0.05, sender


def test_no_retry_before_retry_after(hotel, worker, beat, graph_api, meta):
    graph_api.answer(429, {"error": {"code": 130429, "message": "Rate limit hit"}},
                     headers={"Retry-After": "5"})

    meta.deliver("wamid.retry-after", "hola")

    assert wait_for(all_sent(1), 30, every=0.2)
    first, second = graph_api.requests
    waited = second["at"] - first["at"]
    print(f"\nretry-after 5: waited={waited:.2f}s calls={len(graph_api.requests)}")
    assert waited >= 5 - 0.05
    assert len(graph_api.accepted) == 1


def test_a_worker_restarted_during_the_backoff_loses_nothing(hotel, beat, graph_api, meta):
    senders = guests(8, "3462230")
    graph_api.fail_for(10, status=503)
    with running_worker():
        for n, sender in enumerate(senders):
            meta.deliver(f"wamid.restart.{n}", "hi, any room tonight?", sender=sender)

        def all_waiting():  # tried or held back by the circuit, and none sent
            with scopes_disabled():
                waiting = OutboundMessage.objects.filter(status="pending").count() == 8
            return waiting and len(graph_api.requests) >= 5

        assert wait_for(all_waiting, 30)
    # The worker is gone, with the retries it held; another one starts later.
    time.sleep(2)
    with running_worker():
        assert wait_for(all_sent(8), 90, every=0.5)

    figures = report("worker restart during backoff", meta, graph_api, senders)
    assert (figures["replied"], figures["duplicates"], figures["lost"]) == (8, 0, 0)
