"""The WhatsApp Cloud API fails for a while: replies are retried with backoff and
go out once it is back, none of them twice."""
import pytest
from django_scopes import scopes_disabled

from webhooks import tasks
from webhooks.models import InboundMessage, OutboundMessage

from .conftest import wait_for

pytestmark = [pytest.mark.chaos, pytest.mark.django_db(transaction=True)]

FAILURES = 8


def test_replies_go_out_once_the_graph_api_is_back(hotel, worker, graph_api, meta, monkeypatch):
    monkeypatch.setattr(tasks, "_backoff", lambda retries: 0.3)  # seconds, not minutes, between tries
    for _ in range(FAILURES):
        graph_api.answer(500)

    for n in range(5):
        meta.deliver(f"wamid.graph.{n}", "Hola", sender=f"3462200{n:04d}")

    def all_sent():
        with scopes_disabled():
            return OutboundMessage.objects.filter(status="sent").count() == 5

    assert wait_for(all_sent, 25)
    with scopes_disabled():
        processed = InboundMessage.objects.filter(status="processed").count()
        attempts = sum(OutboundMessage.objects.values_list("attempts", flat=True))
        replied = OutboundMessage.objects.filter(status="sent").count()
    delivered_by_graph = graph_api.requests[FAILURES:]
    recipients = [request["json"]["to"] for request in delivered_by_graph]
    duplicates = len(recipients) - len(set(recipients))
    print(f"\ngraph api outage: delivered={len(meta.acks)} acknowledged={meta.acknowledged} "
          f"processed={processed} failed_sends={FAILURES} send_attempts={attempts} replied={replied} "
          f"duplicates={duplicates}")
    assert meta.acknowledged == len(meta.acks) == 5
    assert processed == replied == 5
    assert len(delivered_by_graph) == 5
    assert attempts == 5 + FAILURES
    assert duplicates == 0
