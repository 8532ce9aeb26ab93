"""QloApps turns slow (answers after 2 s; the hotel's read timeout is 0.3 s) while
guests write on WhatsApp and on the website chat at the same time: webhook acks
stay fast, the chat's synchronous answers stay bounded (timeouts, bulkhead,
breaker) and every guest gets an answer from the last known copy."""
import datetime
import threading
import time

import httpx
import pytest
from django_scopes import scopes_disabled
from prometheus_client import REGISTRY

from tests.agent.conftest import days_ahead, es_day
from webhooks.models import InboundMessage, OutboundMessage

from .conftest import wait_for

pytestmark = [pytest.mark.chaos, pytest.mark.django_db(transaction=True)]


def rejected_by_bulkhead(tenant) -> float:
    labels = {"tenant": tenant.slug, "endpoint": "hotel_ari", "outcome": "bulkhead_full"}
    return REGISTRY.get_sample_value("hotelagent_pms_calls_total", labels) or 0


def test_a_slow_pms_keeps_acks_fast_and_answers_bounded(qlo_hotel, qlo, worker, graph_api, meta, live_server,
                                                       api_key, settings):
    settings.PMS_BULKHEAD_MAX_CONCURRENT, settings.PMS_BULKHEAD_MAX_QUEUE = 2, 2
    check_in = days_ahead(qlo_hotel, 12)
    question = (f"¿Tenéis habitación del {es_day(check_in)} al "
                f"{es_day(check_in + datetime.timedelta(days=2))} para 2 personas?")
    meta.deliver("wamid.warm", question, sender="34600000000")  # a fresh answer is kept
    assert wait_for(lambda: InboundMessage.objects.with_scopes_disabled().filter(status="processed").exists())
    rejected_before = rejected_by_bulkhead(qlo_hotel)
    qlo.delay = 2.0

    chat_answers: list[tuple[int, float, str]] = []
    start = threading.Barrier(8)

    def web_chat(n):
        start.wait()
        began = time.monotonic()
        response = httpx.post(f"{live_server.url}/api/v1/messages/", timeout=30, json={
            "sender": f"visitor-{n}", "text": question, "channel": "web",
        }, headers={"Authorization": f"Api-Key {api_key}"})
        reply = response.json().get("reply", "")
        chat_answers.append((response.status_code, time.monotonic() - began, reply))

    chats = [threading.Thread(target=web_chat, args=(n,)) for n in range(8)]
    for thread in chats:
        thread.start()
    assert wait_for(lambda: len(qlo.requests) >= 2, 5)  # the server's threads are now stuck on QloApps
    for n in range(8):  # meanwhile Meta delivers
        meta.deliver(f"wamid.slow.{n}", question, sender=f"3460000{n:04d}")
    for thread in chats:
        thread.join()

    def answered():
        with scopes_disabled():
            unsent = OutboundMessage.objects.filter(channel="whatsapp").exclude(status="sent")
            return (InboundMessage.objects.filter(channel="whatsapp", status="processed").count() == 9
                    and not unsent.exists())

    assert wait_for(answered, 25)
    with scopes_disabled():
        processed = InboundMessage.objects.filter(status="processed").count()
        whatsapp_replies = list(OutboundMessage.objects.filter(channel="whatsapp", status="sent")
                                .exclude(inbound__external_id="wamid.warm").values_list("text", flat=True))
        sent = OutboundMessage.objects.filter(channel="whatsapp", status="sent")
        replied = sent.values("inbound").distinct()
    degraded = sum("desactualizada" in text for text in whatsapp_replies)
    degraded += sum("desactualizada" in reply for _, _, reply in chat_answers)
    slowest_chat = max(seconds for _, seconds, _ in chat_answers)
    rejected = rejected_by_bulkhead(qlo_hotel) - rejected_before
    duplicates = len(graph_api.requests) - OutboundMessage.objects.with_scopes_disabled().filter(
        channel="whatsapp", status="sent").count()
    print(f"\nslow pms: delivered={len(meta.acks)} acknowledged={meta.acknowledged} "
          f"slowest_ack={meta.slowest_ack:.2f}s processed={processed} replied={replied.count()} "
          f"web_chat={len(chat_answers)} slowest_chat={slowest_chat:.2f}s degraded={degraded} "
          f"bulkhead_rejections={rejected:.0f} pms_requests={len(qlo.requests)} duplicates={duplicates}")
    assert meta.acknowledged == len(meta.acks) == 9
    assert meta.slowest_ack < 1.0  # under one slow PMS answer: the webhook never waits for it
    assert processed == 17 and replied.count() == 9
    assert [status for status, _, _ in chat_answers] == [200] * 8
    assert slowest_chat < 5.0
    assert degraded == 16  # every one of them, from the copy the first answer left
    assert rejected >= 1
    assert duplicates == 0
