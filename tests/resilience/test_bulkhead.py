"""At most max_concurrent calls in flight to one PMS per process and max_queue
waiting; beyond that a call fails at once with BulkheadFull. Real threads."""
import threading
import time

import pytest

from reservations.pms import get_adapter
from reservations.pms.bulkhead import Bulkhead
from reservations.pms.errors import BulkheadFull
from reservations.selectors import room_types_for
from tests.factories import stay


def hold(bulkhead, release: threading.Event, entered: threading.Semaphore, outcomes: list):
    try:
        with bulkhead.slot(max_wait=5):
            entered.release()
            release.wait(5)
        outcomes.append("done")
    except BulkheadFull:
        outcomes.append("full")


def start(count, *args):
    threads = [threading.Thread(target=hold, args=args) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


def wait_until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


def test_calls_beyond_the_limit_wait_for_a_slot():
    bulkhead = Bulkhead("pms", max_concurrent=2, max_queue=5)
    release, entered, outcomes = threading.Event(), threading.Semaphore(0), []

    threads = start(4, bulkhead, release, entered, outcomes)
    assert wait_until(lambda: bulkhead.in_flight == 2 and bulkhead.waiting == 2)
    release.set()
    for thread in threads:
        thread.join()

    assert outcomes == ["done"] * 4


def test_a_full_queue_fails_fast():
    bulkhead = Bulkhead("pms", max_concurrent=2, max_queue=1)
    release, entered, outcomes = threading.Event(), threading.Semaphore(0), []
    threads = start(3, bulkhead, release, entered, outcomes)
    assert wait_until(lambda: bulkhead.in_flight == 2 and bulkhead.waiting == 1)

    began = time.monotonic()
    with pytest.raises(BulkheadFull), bulkhead.slot(max_wait=5):
        pass

    assert time.monotonic() - began < 0.1
    release.set()
    for thread in threads:
        thread.join()
    assert outcomes == ["done"] * 3


def test_a_wait_longer_than_max_wait_gives_up():
    bulkhead = Bulkhead("pms", max_concurrent=1, max_queue=5)
    release, entered, outcomes = threading.Event(), threading.Semaphore(0), []
    threads = start(1, bulkhead, release, entered, outcomes)
    entered.acquire(timeout=5)

    with pytest.raises(BulkheadFull), bulkhead.slot(max_wait=0.05):
        pass

    release.set()
    threads[0].join()
    assert bulkhead.in_flight == bulkhead.waiting == 0


@pytest.mark.django_db(transaction=True)
def test_a_slow_pms_never_sees_more_than_the_limit_from_one_process(qlo_hotel, qlo, settings):
    settings.PMS_BULKHEAD_MAX_CONCURRENT, settings.PMS_BULKHEAD_MAX_QUEUE = 2, 2
    check_in, check_out = stay(tenant=qlo_hotel)
    room_types = list(room_types_for(tenant=qlo_hotel))
    get_adapter(qlo_hotel).check_availability(  # warm: key and connections ready before the race
        tenant=qlo_hotel, room_types=room_types, check_in=check_in, check_out=check_out
    )
    qlo_hotel.pms_read_timeout = 2.0  # slow, not failing
    qlo.delay, qlo.max_in_flight = 0.4, 0
    outcomes, together = [], threading.Barrier(8)

    def search():
        together.wait()
        try:
            get_adapter(qlo_hotel).check_availability(
                tenant=qlo_hotel, room_types=room_types, check_in=check_in, check_out=check_out
            )
            outcomes.append("answered")
        except BulkheadFull:
            outcomes.append("full")

    threads = [threading.Thread(target=search) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert qlo.max_in_flight == 2
    assert sorted(outcomes) == ["answered"] * 4 + ["full"] * 4, outcomes
