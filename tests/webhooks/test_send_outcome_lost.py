"""The database drops our connection after Meta accepted a reply and before we
recorded it: the reply is still sent once. PostgreSQL only — the connection is
terminated for real, with pg_terminate_backend, while the Graph API's 200 is on
its way."""
import datetime
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.terminator import Terminator
from tests.webhooks import payloads
from webhooks.models import OutboundMessage
from webhooks.tasks import send_outbound_message, sweep_outbound

pytestmark = pytest.mark.django_db(transaction=True)

GUEST = "34612345678"


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("terminates a real PostgreSQL connection")


@pytest.fixture
def reply(hotel_sol):
    with scopes_disabled():
        return OutboundMessage.objects.create(
            tenant=hotel_sol, channel="whatsapp", account_external_id=payloads.SOL_NUMBER_ID,
            recipient_id=GUEST, text="Tu reserva está confirmada: SOL-4821",
        )


def reload(reply):
    with scopes_disabled():
        return OutboundMessage.objects.get(pk=reply.pk)


def later(**moves) -> None:
    """What time passing does to the rows: their clocks moved back."""
    with scopes_disabled():
        OutboundMessage.objects.update(**{
            field: timezone.now() - datetime.timedelta(seconds=seconds) for field, seconds in moves.items()
        })


def lose_the_outcome(reply, graph_api, settings) -> None:
    """Meta accepts the reply; the connection dies; the one write allowed fails."""
    settings.WHATSAPP_OUTCOME_WRITE_ATTEMPTS = 1
    graph_api.before_answer = Terminator()
    send_outbound_message.apply(args=[reply.pk])
    graph_api.before_answer = None
    assert reload(reply).status == "sending"


def status_from_meta(client, state: str, *, recipient: str = GUEST):
    """Meta's status notification for the reply it accepted as wamid.out.1."""
    return payloads.post(client, payloads.delivery(payloads.change(
        payloads.SOL_NUMBER_ID,
        statuses=[payloads.status("wamid.out.1", state, recipient=recipient, timestamp=int(time.time()))],
    )))


def become_unknown(reply, graph_api, settings) -> None:
    """The outcome is lost and so is the journal (Redis restarted too); the sweep finds it quiet."""
    lose_the_outcome(reply, graph_api, settings)
    cache.clear()
    later(attempt_started_at=300)
    sweep_outbound.apply()
    assert reload(reply).status == "unknown"


def test_a_connection_killed_between_metas_200_and_the_commit_still_sends_once(reply, graph_api):
    graph_api.before_answer = terminate = Terminator()

    assert send_outbound_message.apply(args=[reply.pk]).get() is True

    assert terminate.kills == 1
    sent = reload(reply)
    assert (sent.status, sent.external_id, sent.attempts) == ("sent", "wamid.out.1", 1)
    assert sweep_outbound.apply().get() == 0
    later(next_attempt_at=3600, attempt_started_at=3600, created_at=3600)
    sweep_outbound.apply()
    assert len(graph_api.requests) == 1


def test_an_outcome_that_could_not_be_written_is_recovered_from_the_journal(reply, graph_api, settings):
    lose_the_outcome(reply, graph_api, settings)

    assert sweep_outbound.apply().get() == 0  # the call may still be running: wait
    later(attempt_started_at=300)
    sweep_outbound.apply()

    sent = reload(reply)
    assert (sent.status, sent.external_id) == ("sent", "wamid.out.1")
    later(next_attempt_at=3600)
    sweep_outbound.apply()
    assert len(graph_api.requests) == 1


def test_without_the_journal_a_status_from_meta_settles_the_unknown_reply(reply, graph_api, settings, client):
    become_unknown(reply, graph_api, settings)

    assert status_from_meta(client, "delivered").status_code == 200

    delivered = reload(reply)
    assert (delivered.status, delivered.external_id) == ("delivered", "wamid.out.1")
    later(next_attempt_at=3600)
    sweep_outbound.apply()
    assert len(graph_api.requests) == 1


def test_the_journal_names_the_reply_a_status_is_for(reply, graph_api, settings, client):
    lose_the_outcome(reply, graph_api, settings)

    status_from_meta(client, "read", recipient="another")

    assert (reload(reply).status, reload(reply).external_id) == ("read", "wamid.out.1")


def test_an_unknown_reply_nobody_confirms_is_sent_again_after_the_documented_wait(reply, graph_api, settings):
    become_unknown(reply, graph_api, settings)

    sweep_outbound.apply()
    assert len(graph_api.requests) == 1  # not before WHATSAPP_UNKNOWN_RESEND_AFTER_SECONDS

    later(attempt_started_at=django_settings.WHATSAPP_UNKNOWN_RESEND_AFTER_SECONDS + 1)
    with scopes_disabled():
        OutboundMessage.objects.update(next_attempt_at=timezone.now())
    sweep_outbound.apply()

    resent = reload(reply)
    assert (resent.status, resent.attempts, resent.error) == ("sent", 2, {})
    assert len(graph_api.requests) == 2
