"""Meta may deliver the same message twice at once, to two of our processes."""
import threading

import pytest
from django.db import connection
from django.test import Client
from django_scopes import scopes_disabled

from webhooks.models import InboundMessage, OutboundMessage

from . import payloads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and real concurrent connections")


def test_two_racing_deliveries_store_one_message_and_send_one_reply(hotel_sol, graph_api):
    delivery = payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
        payloads.text("wamid.race", "Hola"),
    ]))
    start = threading.Barrier(4)
    codes = []

    def deliver():
        start.wait()
        try:
            codes.append(payloads.post(Client(), delivery).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert codes == [200] * 4
    with scopes_disabled():
        assert InboundMessage.objects.count() == 1
        assert OutboundMessage.objects.count() == 1
    assert len(graph_api.requests) == 1
