"""Redis (cache) down while a reply goes out: the circuit and the journal cannot
share what they see, and the reply is still sent once and recorded sent (the
outside fault run's Redis restart found a send whose bookkeeping raised after
Meta's 200)."""
import pytest
from django_scopes import scopes_disabled

from reservations.pms.breaker import State, breaker_for
from reservations.pms.errors import PMSCallFailed
from webhooks.graph_circuit import graph_api_circuit
from webhooks.models import OutboundMessage
from webhooks.tasks import send_outbound_message

pytestmark = pytest.mark.django_db



@pytest.fixture
def reply(hotel_sol):
    with scopes_disabled():
        return OutboundMessage.objects.create(
            tenant=hotel_sol, channel="whatsapp", account_external_id="100000000000001",
            recipient_id="34612345678", text="Confirmada: SOL-4821",
        )


def test_a_reply_is_sent_and_recorded_without_the_cache(reply, graph_api, cache_down):
    assert send_outbound_message.apply(args=[reply.pk]).get() is True

    assert len(graph_api.requests) == 1
    with scopes_disabled():
        sent = OutboundMessage.objects.get(pk=reply.pk)
    assert (sent.status, sent.external_id) == ("sent", "wamid.out.1")


def test_a_failed_send_without_the_cache_is_still_scheduled_again(reply, graph_api, cache_down):
    graph_api.answer(503)

    send_outbound_message.apply(args=[reply.pk])

    with scopes_disabled():
        waiting = OutboundMessage.objects.get(pk=reply.pk)
    assert (waiting.status, waiting.attempts) == ("pending", 1)


def test_circuits_read_as_closed_without_the_cache(tenant, cache_down):
    breaker = breaker_for(tenant, "bookings", failure_threshold=1)

    assert breaker.before_call() is False
    breaker.record_failure(error=PMSCallFailed("timeout"))
    assert breaker.state == State.CLOSED
    assert breaker.call(lambda: "answered") == "answered"
    assert graph_api_circuit().state == State.CLOSED
