"""If the broker is down when a delivery arrives, the message is still stored and
acknowledged; the periodic sweep enqueues it once the broker is back."""
import datetime
from unittest import mock

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from kombu.exceptions import OperationalError

from webhooks.models import InboundMessage
from webhooks.tasks import process_inbound_message, sweep_inbound

from . import payloads

pytestmark = pytest.mark.django_db


def broker_down():
    """Stands in for Redis refusing connections (outside the process)."""
    return mock.patch.object(
        process_inbound_message, "delay", side_effect=OperationalError("Error 111 connecting to redis")
    )


def test_delivery_is_acknowledged_and_kept_while_the_broker_is_down(meta, hotel_sol, graph_api):
    delivery = payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
        payloads.text("wamid.outage", "Hola"),
    ]))

    with broker_down():
        response = payloads.post(meta, delivery)

    assert response.status_code == 200
    with scopes_disabled():
        assert InboundMessage.objects.get().status == "received"
    assert graph_api.requests == []


def test_sweep_processes_what_was_left_behind(meta, hotel_sol, graph_api):
    with broker_down():
        payloads.post(meta, payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
            payloads.text("wamid.left", "Hola"),
        ])))
    with scopes_disabled():
        InboundMessage.objects.update(received_at=timezone.now() - datetime.timedelta(minutes=3))

    assert sweep_inbound.apply().get() == 1

    with scopes_disabled():
        assert InboundMessage.objects.get().status == "processed"
    assert len(graph_api.requests) == 1
    assert sweep_inbound.apply().get() == 0


def test_sweep_leaves_recent_messages_to_their_own_task(meta, hotel_sol, graph_api):
    with broker_down():
        payloads.post(meta, payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
            payloads.text("wamid.fresh", "Hola"),
        ])))

    assert sweep_inbound.apply().get() == 0
