"""The messages the hotel writes first, end to end: a real beat (the
DatabaseScheduler's send-guest-messages row, ticking every second here instead
of every 15 minutes) and a real worker send each due message once to the Graph
API stand-in, however many times beat runs, and nothing to a guest who opted out."""
import datetime
import time

import pytest
from django.db import connections
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_scopes import scopes_disabled

from webhooks.demo import demo_templates
from webhooks.models import GuestOptOut, OutboundMessage

from ..webhooks.test_guest_messages import stay
from .conftest import wait_for
from .test_beat_schedule import database_beat

pytestmark = [pytest.mark.chaos, pytest.mark.django_db(transaction=True)]

OPTED_OUT = "34699000111"


def test_beat_and_a_worker_send_each_due_message_once(hotel, worker, graph_api):
    hotel.guest_messages_from, hotel.guest_messages_until = datetime.time(0, 0), datetime.time(23, 59, 59)
    hotel.save()
    demo_templates([hotel.slug])
    today = hotel.local_today()
    arriving = stay(hotel, check_in=today + datetime.timedelta(days=2))
    left = stay(hotel, check_in=today - datetime.timedelta(days=3), status="checked_out")
    stay(hotel, check_in=today + datetime.timedelta(days=1), phone=f"+{OPTED_OUT}")
    with scopes_disabled():
        GuestOptOut.objects.create(tenant=hotel, channel="whatsapp", guest_id=OPTED_OUT, text="STOP")
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    PeriodicTask.objects.filter(name="send-guest-messages").update(interval=every_second)
    PeriodicTask.objects.exclude(name="send-guest-messages").update(enabled=False)

    with database_beat():
        assert wait_for(lambda: len(graph_api.accepted) >= 2, 30, every=0.5)
        time.sleep(3)  # three more beats: nothing more goes out
    connections.close_all()

    runs = PeriodicTask.objects.get(name="send-guest-messages").total_run_count
    with scopes_disabled():
        sent = dict(OutboundMessage.objects.values_list("reservation", "purpose"))
        statuses = set(OutboundMessage.objects.values_list("status", flat=True))
    print(f"\nguest messages from beat: runs={runs} sent={len(graph_api.accepted)}")
    assert runs >= 3
    assert sent == {arriving.pk: "pre_arrival", left.pk: "post_stay_survey"}
    assert statuses == {"sent"}
    assert len(graph_api.accepted) == 2
    assert OPTED_OUT not in {request["json"]["to"] for request in graph_api.requests}
