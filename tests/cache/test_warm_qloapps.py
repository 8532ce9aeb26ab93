"""A QloApps hotel: warming asks QloApps once for the whole window, answers guests
without asking again, and keeps what it got as the last known copy for outages."""
import datetime
import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection

from reservations import warm_copy
from reservations.cache_warming import warm
from reservations.models import AvailabilitySnapshot
from reservations.services import reservation_create
from tests.factories import stay

from .helpers import CacheReads, available, search

pytestmark = pytest.mark.django_db


def ari_calls(qlo) -> int:
    return qlo.paths("POST").count("/api/hotel_ari")


def test_one_qloapps_call_warms_the_whole_window(api, qlo_hotel, qlo):
    report = warm(slugs=[qlo_hotel.slug], days=30)
    calls = ari_calls(qlo)
    reads = CacheReads()

    body = search(api, qlo_hotel, nights=2, guests=2)

    assert (report.failures, calls) == ({}, 1)
    assert ari_calls(qlo) == calls  # answered from the warm copy
    assert reads("availability", "hit") == 1
    [offer] = body["room_types"]
    assert (offer["available"], offer["total"], body["degraded"]) == (3, "240.00", False)


def test_the_warm_copy_is_kept_as_the_last_known_copy(qlo_hotel, qlo):
    warm(slugs=[qlo_hotel.slug], days=30)

    snapshots = AvailabilitySnapshot.objects.with_scope(tenant=qlo_hotel).all()
    assert snapshots.count() == 31  # thirty arrival days, and the second night of the last one
    assert {(s.rooms_free, str(s.rate)) for s in snapshots} == {(3, "120.00")}


def test_with_qloapps_down_at_the_next_warming_guests_get_the_last_copy(api, qlo_hotel, qlo, cache_expired):
    warm(slugs=[qlo_hotel.slug])
    kept_at = AvailabilitySnapshot.objects.with_scope(tenant=qlo_hotel).first().as_of
    qlo.stop()

    report = warm(slugs=[qlo_hotel.slug])
    cache_expired()
    body = search(api, qlo_hotel, nights=2, guests=2)

    assert list(report.failures) == ["hotel-sol"]
    assert body["degraded"] is True
    assert datetime.datetime.fromisoformat(body["as_of"]) == kept_at
    assert available(body) == {"standard": 3}


@pytest.fixture
def cache_expired():
    """What an hour does to the warm copy."""
    return cache.clear


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a second thread needs committed rows")
@pytest.mark.django_db(transaction=True)
def test_a_booking_made_while_a_warming_waits_for_qloapps_is_not_undone_by_it(api, qlo_hotel, qlo, standard):
    qlo_hotel.pms_read_timeout = 5
    qlo_hotel.save()
    qlo.misbehave("late", path="/api/hotel_ari", seconds=1.5)  # answers what it had before the booking
    report = {}

    def warming():
        try:
            report["done"] = warm(slugs=[qlo_hotel.slug])
        finally:
            connection.close()

    thread = threading.Thread(target=warming)
    thread.start()
    deadline = time.monotonic() + 10
    while ari_calls(qlo) == 0 and time.monotonic() < deadline:  # the warming's call is in QloApps
        time.sleep(0.02)
    check_in, check_out = stay(10, 2, tenant=qlo_hotel)
    reservation_create(
        tenant=qlo_hotel, room_type="standard", check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone="+34612345678", source="api",
    )
    thread.join(30)

    assert report["done"].failures == {}
    written = cache.get(warm_copy.stay_key(qlo_hotel.pk, standard.pk, check_in, 2))
    assert written[-1] == 3  # the warming did write what QloApps said before the booking…
    reads = CacheReads()
    assert available(search(api, qlo_hotel, nights=2, guests=2)) == {"standard": 2}
    assert reads("availability", "miss") == 1  # the warming's copy of those nights is not believed
    assert available(search(api, qlo_hotel, days_ahead=20, nights=2, guests=2)) == {"standard": 3}
    assert reads("availability", "hit") == 1
