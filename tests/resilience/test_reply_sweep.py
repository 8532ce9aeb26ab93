"""A reply whose send could not be queued (the broker was down) is not lost: the
sweep queues it, and it still goes out once."""
import datetime
from unittest import mock

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from kombu.exceptions import OperationalError

from tests.factories import ChannelAccountFactory
from tests.webhooks import payloads
from tests.webhooks.graph_api import FakeGraphAPI
from webhooks.models import OutboundMessage
from webhooks.tasks import send_outbound_message, sweep_outbound

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph_api(settings, tenant):
    settings.WHATSAPP_APP_SECRET = payloads.APP_SECRET
    settings.WHATSAPP_ACCESS_TOKEN = "graph-token"
    ChannelAccountFactory(tenant=tenant, external_id=payloads.SOL_NUMBER_ID)
    with FakeGraphAPI() as fake:
        settings.WHATSAPP_API_BASE_URL = fake.base_url
        yield fake


def reply_left_behind(client):
    broker_down = OperationalError("Error 111 connecting to redis")
    with mock.patch.object(send_outbound_message, "delay", side_effect=broker_down):
        payloads.post(client, payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
            payloads.text("wamid.unsent", "Hola"),
        ])))
    with scopes_disabled():
        five_minutes_ago = timezone.now() - datetime.timedelta(minutes=5)
        OutboundMessage.objects.update(created_at=five_minutes_ago, next_attempt_at=five_minutes_ago)


def test_the_sweep_sends_a_reply_whose_task_was_never_queued(client, graph_api):
    reply_left_behind(client)
    assert graph_api.requests == []

    assert sweep_outbound.apply().get() == 1

    with scopes_disabled():
        assert OutboundMessage.objects.get().status == "sent"
    assert len(graph_api.requests) == 1
    assert sweep_outbound.apply().get() == 0


def test_a_reply_tried_before_is_queued_again_once_its_next_attempt_is_overdue(client, graph_api):
    """Its retry task was lost (a worker restarted during the backoff): the sweep
    does not care how often it was tried, only that it is due."""
    reply_left_behind(client)
    with scopes_disabled():
        OutboundMessage.objects.update(attempts=4)

    assert sweep_outbound.apply().get() == 1

    with scopes_disabled():
        assert OutboundMessage.objects.get().status == "sent"
    assert len(graph_api.requests) == 1


def test_a_reply_waiting_for_its_next_attempt_is_left_alone(client, graph_api):
    reply_left_behind(client)
    with scopes_disabled():
        OutboundMessage.objects.update(
            attempts=2, next_attempt_at=timezone.now() + datetime.timedelta(minutes=10))

    assert sweep_outbound.apply().get() == 0
    assert graph_api.requests == []
