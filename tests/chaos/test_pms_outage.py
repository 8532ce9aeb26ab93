"""The hotel's QloApps goes off the network in the middle of a WhatsApp
conversation: the webhook never answers 5xx, the guest gets answers from the last
known copy, a booking made meanwhile waits and is confirmed once QloApps is back."""
import datetime

import pytest
from django_scopes import scopes_disabled

from reservations.models import PendingBooking
from reservations.tasks import retry_pending_bookings
from tests.agent.conftest import days_ahead, es_day
from webhooks.models import InboundMessage, OutboundMessage

from .conftest import wait_for

pytestmark = [pytest.mark.chaos, pytest.mark.django_db(transaction=True)]


def processed() -> int:
    with scopes_disabled():
        return InboundMessage.objects.filter(status="processed").count()


def sent() -> list[str]:
    with scopes_disabled():
        replies = OutboundMessage.objects.filter(status="sent").order_by("id")
        return list(replies.values_list("text", flat=True))


def all_sent() -> bool:
    with scopes_disabled():
        return not OutboundMessage.objects.exclude(status="sent").exists()


def reply_to(wamid: str) -> str:
    with scopes_disabled():
        return "\n".join(OutboundMessage.objects.filter(inbound__external_id=wamid).order_by("sequence")
                         .values_list("text", flat=True))


def test_the_guest_keeps_getting_answers_when_qloapps_stops(qlo_hotel, qlo, worker, graph_api, meta):
    check_in = days_ahead(qlo_hotel, 12)
    stay = f"del {es_day(check_in)} al {es_day(check_in + datetime.timedelta(days=2))}"
    conversation = [
        f"¿Tenéis habitación {stay} para 2 personas?",
        "STOP",  # QloApps goes off the network here
        f"¿Tenéis habitación {stay} para 2 personas?",
        f"Quiero reservar {stay} para 2 personas",
        "la estándar",
        "Ana García",
        "ana@example.com",
        "sí",
    ]
    number = 0
    for text in conversation:
        if text == "STOP":
            qlo.stop()
            continue
        number += 1
        meta.deliver(f"wamid.chaos.{number}", text)
        assert wait_for(lambda n=number: processed() == n and all_sent(), 15), f"message {number}"

    assert "120,00" in reply_to("wamid.chaos.1") and "desactualizada" not in reply_to("wamid.chaos.1")
    assert "puede estar un poco desactualizada" in reply_to("wamid.chaos.2")
    assert "te la confirmaremos por aquí en cuanto vuelva a funcionar" in reply_to(f"wamid.chaos.{number}")
    with scopes_disabled():
        assert PendingBooking.objects.get().status == "pending"

    replied_before = len(sent())
    qlo.start()

    def confirmed():
        retry_pending_bookings.delay()  # what beat does every minute (here every second)
        return len(sent()) == replied_before + 1

    assert wait_for(confirmed, 15, every=1.0)

    confirmation = sent()[-1]
    with scopes_disabled():
        pending = PendingBooking.objects.get()
    degraded = sum("desactualizada" in reply for reply in sent())
    duplicates = len(graph_api.requests) - len(sent())  # each stored reply goes out once
    print(f"\npms outage: delivered={len(meta.acks)} acknowledged={meta.acknowledged} "
          f"processed={processed()} "
          f"replied={len(sent())} degraded={degraded} pending_confirmed={pending.status == 'confirmed'} "
          f"duplicates={duplicates}")
    assert meta.acknowledged == len(meta.acks) == number  # never a 5xx
    assert processed() == number
    assert pending.status == "confirmed"
    assert pending.reservation.code in confirmation
    assert [b["id"] for b in qlo.live_bookings()] == [int(pending.reservation.external_reference)]
    assert degraded >= 1
    assert duplicates == 0
