"""An unexpected error while processing a message: the guest gets one short
apology in their language, the message is marked failed and retried by the sweep,
and the hotel's support address and the site admins get one critical e-mail per
ten minutes. Nothing is lost."""
import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.factories import ChannelAccountFactory
from tests.webhooks import payloads
from webhooks import processing
from webhooks.models import InboundMessage, OutboundMessage
from webhooks.tasks import sweep_inbound

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def whatsapp(settings, tenant):
    settings.WHATSAPP_APP_SECRET = payloads.APP_SECRET
    settings.WHATSAPP_ACCESS_TOKEN = "graph-token"
    settings.ADMINS = [("ops@hotelagent.example", "ops@hotelagent.example")]
    ChannelAccountFactory(tenant=tenant, external_id=payloads.SOL_NUMBER_ID)


@pytest.fixture
def broken_agent(monkeypatch):
    def respond(**kwargs):
        raise RuntimeError("the agent tripped over something")

    monkeypatch.setattr(processing, "respond", respond)
    return monkeypatch


def deliver(client, wamid, text="Hola, ¿tenéis habitación?"):
    return payloads.post(client, payloads.delivery(payloads.change(
        payloads.SOL_NUMBER_ID, messages=[payloads.text(wamid, text)],
    )))


def sweep():
    with scopes_disabled():
        InboundMessage.objects.update(received_at=timezone.now() - datetime.timedelta(minutes=5))
    return sweep_inbound.apply().get()


def test_the_guest_gets_a_short_apology_in_their_language(client, tenant, graph_api, broken_agent):
    assert deliver(client, "wamid.1").status_code == 200

    assert graph_api.sent_texts == [
        "Disculpa, he tenido un problema al leer tu mensaje. Ya lo he anotado y te responderemos en breve; "
        f"si es urgente, llama al hotel al {tenant.support_phone}."
    ]


def test_the_message_is_marked_failed_with_the_error(client, graph_api, broken_agent):
    deliver(client, "wamid.1")

    with scopes_disabled():
        message = InboundMessage.objects.get()
    assert (message.status, message.attempts) == ("failed", 1)
    assert message.error == "RuntimeError: the agent tripped over something"


def test_retries_of_the_same_message_do_not_apologize_again(client, graph_api, broken_agent):
    deliver(client, "wamid.1")

    assert sweep() == 1
    assert sweep() == 1

    with scopes_disabled():
        assert InboundMessage.objects.get().attempts == 3
    assert len(graph_api.requests) == 1


def test_support_and_admins_get_one_critical_email_per_ten_minutes(client, tenant, graph_api, broken_agent):
    deliver(client, "wamid.1")
    deliver(client, "wamid.2")

    [alert] = mail.outbox
    assert alert.subject == "[hotelagent] CRITICAL: messages for Hotel Sol are failing"
    assert sorted(alert.to) == sorted([tenant.support_email, "ops@hotelagent.example"])
    assert "RuntimeError: the agent tripped over something" in alert.body


def test_once_the_fault_is_gone_the_sweep_answers_the_message(client, graph_api, broken_agent):
    deliver(client, "wamid.1")
    broken_agent.undo()

    assert sweep() == 1

    with scopes_disabled():
        assert InboundMessage.objects.get().status == "processed"
        assert OutboundMessage.objects.count() == 2  # the apology, then the answer
    assert len(graph_api.requests) == 2
