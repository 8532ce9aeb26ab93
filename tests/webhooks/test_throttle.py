import time
import warnings

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from django.utils import timezone
from django_scopes import scopes_disabled

from security.models import AuditEvent
from security.throttle import count_in_window, first_of_burst
from webhooks.models import InboundMessage

from . import payloads

pytestmark = pytest.mark.django_db


def test_flooding_guest_is_stored_throttled_unanswered_and_audited_once(meta, hotel_sol, graph_api, settings):
    settings.INBOUND_MESSAGES_PER_MINUTE = 3
    now = int(time.time())
    flood = [payloads.text(f"wamid.flood{n}", f"hola {n}", timestamp=now) for n in range(6)]

    response = payloads.post(meta, payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=flood)))

    assert response.status_code == 200
    with scopes_disabled():
        statuses = list(InboundMessage.objects.order_by("id").values_list("status", flat=True))
        events = AuditEvent.objects.filter(event_type="SUSPICIOUS_ACTIVITY", action="inbound_flood")
        assert events.count() == 1
    assert statuses == ["processed"] * 3 + ["throttled"] * 3
    assert len(graph_api.requests) == 3


def test_other_guests_are_not_throttled_by_one_flood(meta, hotel_sol, graph_api, settings):
    settings.INBOUND_MESSAGES_PER_MINUTE = 2
    now = int(time.time())
    flood = [payloads.text(f"wamid.f{n}", "hola", timestamp=now) for n in range(4)]
    payloads.post(meta, payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=flood)))

    other = payloads.text("wamid.other", "Hola", sender="34699000111", timestamp=now)
    payloads.post(meta, payloads.delivery(
        payloads.change(payloads.SOL_NUMBER_ID, sender="34699000111", messages=[other])
    ))

    with scopes_disabled():
        assert InboundMessage.objects.get(external_id="wamid.other").status == "processed"


def test_any_sender_id_makes_a_cache_key_every_backend_takes():
    sender, now = "visitor \x05 ñ " + "x" * 300, timezone.now()  # web-chat senders are websites' ids

    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        counts = [count_in_window(f"inbound:1:{sender}", now) for _ in range(2)]
        assert first_of_burst(f"inbound:1:{sender}")

    assert counts == [1, 2]
