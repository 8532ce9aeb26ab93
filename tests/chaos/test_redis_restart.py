"""Redis (cache and broker) is killed and restarted while deliveries arrive: every
delivery acknowledged is processed exactly once, those enqueued into the void by
the sweep. The machine's shared Redis is never touched: this test runs its own."""
import pytest
from django_scopes import scopes_disabled

from webhooks.emergency import APOLOGY_SEQUENCE
from webhooks.models import InboundMessage, OutboundMessage
from webhooks.tasks import sweep_inbound, sweep_outbound

from .conftest import wait_for

pytestmark = [pytest.mark.chaos, pytest.mark.django_db(transaction=True)]


def test_deliveries_during_a_redis_restart_are_processed_exactly_once(
    hotel, own_redis, worker, graph_api, meta, settings
):
    settings.INBOUND_SWEEP_AFTER_SECONDS = 0
    settings.OUTBOUND_SWEEP_AFTER_SECONDS = 0
    senders = [f"3461100{n:04d}" for n in range(15)]

    for n, sender in enumerate(senders[:5]):
        meta.deliver(f"wamid.before.{n}", "Hola", sender=sender)
    own_redis.kill()
    for n, sender in enumerate(senders[5:10]):
        meta.deliver(f"wamid.during.{n}", "Hola", sender=sender)
    own_redis.start()  # empty: whatever was queued in it is gone
    for n, sender in enumerate(senders[10:]):
        meta.deliver(f"wamid.after.{n}", "Hola", sender=sender)

    def all_answered():
        sweep_inbound.delay()  # what beat does every minute (here every second)
        sweep_outbound.delay()
        with scopes_disabled():
            answers = OutboundMessage.objects.filter(status="sent").exclude(sequence=APOLOGY_SEQUENCE)
            return answers.values("inbound").distinct().count() == meta.acknowledged

    assert wait_for(all_answered, 25, every=1.0)

    with scopes_disabled():
        processed = InboundMessage.objects.filter(status="processed").count()
        sent = OutboundMessage.objects.filter(status="sent")
        replied = sent.exclude(sequence=APOLOGY_SEQUENCE).values("inbound").distinct().count()
        apologies = sent.filter(sequence=APOLOGY_SEQUENCE).count()  # a turn cut short by the kill
        duplicates = len(graph_api.requests) - sent.count()  # each stored reply goes out once
    print(f"\nredis restart: delivered={len(meta.acks)} acknowledged={meta.acknowledged} "
          f"processed={processed} replied={replied} apologies={apologies} duplicates={duplicates}")
    assert meta.acknowledged == len(meta.acks) == 15
    assert processed == replied == 15
    assert duplicates == 0
