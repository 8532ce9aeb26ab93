"""Counting a guest's messages costs one cache round trip on Redis and stays
exact when workers count the same guest at once."""
import datetime
import threading

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from security.throttle import WINDOW_SECONDS, count_in_window, count_so_far, window_key


def test_a_count_is_one_round_trip_and_reads_back(redis_round_trips):
    now = timezone.now()
    redis_round_trips["count"] = 0

    counts = [count_in_window("inbound:1:guest-a", now) for _ in range(3)]

    assert counts == [1, 2, 3]
    assert redis_round_trips["count"] == 3
    assert count_so_far("inbound:1:guest-a", now) == 3


def test_the_counter_expires_after_two_windows():
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    now = timezone.now()
    count_in_window("inbound:1:guest-b", now)

    ttl = cache.ttl(window_key("inbound:1:guest-b", now))

    assert 0 < ttl <= WINDOW_SECONDS * 2


def test_workers_counting_one_guest_at_once_each_get_their_own_count():
    now = timezone.now()
    counts, start = [], threading.Barrier(8)

    def count():
        start.wait()
        for _ in range(5):
            counts.append(count_in_window("inbound:1:guest-c", now))

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(counts) == list(range(1, 41))


def test_the_next_window_counts_afresh():
    now = timezone.now()
    count_in_window("inbound:1:guest-d", now)

    assert count_in_window("inbound:1:guest-d", now + datetime.timedelta(seconds=WINDOW_SECONDS)) == 1
