"""Availability answers from the warm copy, and every change to rooms, rates or the
hotel's configuration is seen by the next answer."""
import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from reservations import warm_copy
from reservations.cache_warming import warm
from reservations.models import NightlyInventory
from reservations.selectors import availability_for
from reservations.services import (
    inventory_sync,
    reservation_cancel,
    reservation_create,
    reservation_mark_no_show,
)
from tests.factories import ChannelAccountFactory, RoomTypeFactory, stay

from .helpers import CacheReads, available, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def suite(tenant):
    return RoomTypeFactory(tenant=tenant, code="suite", name="Suite", max_guests=4,
                           base_rate=Decimal("250.00"), room_count=1)


def book(tenant, room_type, *, days_ahead=10, nights=1, email="ana@example.com"):
    check_in, check_out = stay(days_ahead, nights, tenant=tenant)
    return reservation_create(
        tenant=tenant, room_type=room_type.code, check_in=check_in, check_out=check_out, guests=1,
        guest_name="Ana García", guest_email=email, guest_phone="+34612345678", source="api",
    )


def night(room_type, days_ahead):
    with scopes_disabled():
        return NightlyInventory.objects.get(
            room_type=room_type, date=room_type.tenant.local_today() + datetime.timedelta(days=days_ahead)
        )


def test_a_warm_answer_is_the_databases_answer_without_asking_the_database(api, tenant, standard, suite):
    cold = search(api, tenant, nights=2)
    warm()
    reads = CacheReads()

    with CaptureQueriesContext(connection) as queries:
        warm_body = search(api, tenant, nights=2)

    assert warm_body == cold
    assert (reads("availability", "hit"), reads("availability", "miss")) == (2, 0)
    assert (reads("rates", "hit"), reads("config", "hit")) == (4, 1)
    tables = ("reservations_nightlyinventory", "reservations_roomtype")
    assert not [q for q in queries.captured_queries if any(table in q["sql"] for table in tables)]


def test_one_and_two_night_stays_of_every_arrival_day_are_warm(api, tenant, standard):
    warm(days=30)
    reads = CacheReads()

    for days_ahead in (0, 15, 29):
        for nights in (1, 2):
            search(api, tenant, days_ahead=days_ahead, nights=nights)

    assert (reads("availability", "hit"), reads("availability", "miss")) == (6, 0)


def test_arrivals_past_the_window_and_longer_stays_ask_the_database(api, tenant, standard):
    warm(days=30)
    reads = CacheReads()

    search(api, tenant, days_ahead=30, nights=1)
    body = search(api, tenant, days_ahead=3, nights=5)

    assert reads("availability", "miss") == 1
    assert reads("availability", "hit") == 0
    assert available(body) == {"standard": 3}


def test_an_arrival_past_the_warmed_days_is_not_looked_up_in_the_cache(api, tenant, standard):
    warm(days=30)
    reads = CacheReads()

    with mock.patch.object(warm_copy.cache, "get_many", wraps=warm_copy.cache.get_many) as cache_reads:
        body = search(api, tenant, days_ahead=30, nights=2)

    assert available(body) == {"standard": 3}
    assert reads("availability", "miss") == 1
    warm_reads = [sorted(call.args[0]) for call in cache_reads.call_args_list
                  if call.args[0][0].startswith(warm_copy.PREFIX)]
    assert warm_reads == [
        sorted([warm_copy.hotel_gen_key(tenant.pk), warm_copy.config_key(tenant.pk)])
    ]


def test_the_warmed_days_are_those_the_warming_was_asked_for(api, tenant, standard):
    warm(days=45)
    reads = CacheReads()

    search(api, tenant, days_ahead=44, nights=2)
    search(api, tenant, days_ahead=45, nights=1)

    assert (reads("availability", "hit"), reads("availability", "miss")) == (1, 1)


def test_booking_the_last_room_makes_the_next_answer_zero(
    api, tenant, suite, django_capture_on_commit_callbacks
):
    warm()
    assert available(search(api, tenant, nights=2)) == {"suite": 1}

    with django_capture_on_commit_callbacks(execute=True):
        book(tenant, suite, nights=2)

    assert available(search(api, tenant, nights=2)) == {"suite": 0}
    assert available(search(api, tenant, days_ahead=11, nights=1)) == {"suite": 0}
    assert available(search(api, tenant, days_ahead=9, nights=2)) == {"suite": 0}


def test_cancelling_gives_the_room_back_to_the_next_answer(
    api, tenant, suite, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reservation = book(tenant, suite)
    warm()
    assert available(search(api, tenant)) == {"suite": 0}

    with django_capture_on_commit_callbacks(execute=True):
        reservation_cancel(tenant=tenant, code=reservation.code, source="guest_link")

    assert available(search(api, tenant)) == {"suite": 1}


def test_a_no_show_gives_the_room_back_to_the_next_answer(
    api, tenant, suite, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reservation = book(tenant, suite, days_ahead=0)
    warm()
    assert available(search(api, tenant, days_ahead=0)) == {"suite": 0}

    with django_capture_on_commit_callbacks(execute=True):
        reservation_mark_no_show(tenant=tenant, code=reservation.code, actor="user:1")

    assert available(search(api, tenant, days_ahead=0)) == {"suite": 1}


def test_a_booking_forgets_only_the_stays_covering_its_nights(
    api, tenant, standard, suite, django_capture_on_commit_callbacks
):
    warm()
    with django_capture_on_commit_callbacks(execute=True):
        book(tenant, suite, days_ahead=10, nights=1)
    reads = CacheReads()

    search(api, tenant, days_ahead=10, nights=1)  # suite forgotten, standard still warm
    search(api, tenant, days_ahead=9, nights=2)  # covers night 10: suite forgotten again
    search(api, tenant, days_ahead=11, nights=2)  # does not cover it: both warm
    search(api, tenant, days_ahead=8, nights=2)  # nights 8 and 9: both warm

    assert (reads("availability", "hit"), reads("availability", "miss")) == (6, 2)


def test_staff_closing_a_room_in_the_admin_is_seen_at_once(
    api, tenant, suite, django_capture_on_commit_callbacks
):
    warm()
    closed = night(suite, 10)
    closed.rooms_total = 0

    with django_capture_on_commit_callbacks(execute=True):
        closed.save(update_fields=["rooms_total", "rate_override"])

    assert available(search(api, tenant)) == {"suite": 0}


def test_a_new_rate_for_a_night_is_quoted_at_once(api, tenant, suite, django_capture_on_commit_callbacks):
    warm()
    expensive = night(suite, 11)
    expensive.rate_override = Decimal("400.00")

    with django_capture_on_commit_callbacks(execute=True):
        expensive.save(update_fields=["rooms_total", "rate_override"])

    [offer] = search(api, tenant, nights=2)["room_types"]
    assert offer["nightly_rates"] == ["250.00", "400.00"]


def test_a_new_base_rate_is_quoted_at_once(api, tenant, suite, django_capture_on_commit_callbacks):
    warm()
    suite.base_rate = Decimal("300.00")

    with django_capture_on_commit_callbacks(execute=True):
        suite.save()

    [offer] = search(api, tenant)["room_types"]
    assert offer["nightly_rates"] == ["300.00"]


def test_a_new_room_type_is_offered_at_once(api, tenant, suite, django_capture_on_commit_callbacks):
    warm()

    with django_capture_on_commit_callbacks(execute=True):
        RoomTypeFactory(tenant=tenant, code="double", max_guests=2)

    assert available(search(api, tenant)) == {"suite": 1, "double": 3}


def test_nights_opened_later_are_offered_at_once(api, tenant, django_capture_on_commit_callbacks):
    late = RoomTypeFactory(tenant=tenant, code="attic", inventory_days=5)
    warm()
    assert available(search(api, tenant, days_ahead=10)) == {"attic": 0}

    with django_capture_on_commit_callbacks(execute=True):
        inventory_sync(room_type=late, days=30)

    assert available(search(api, tenant, days_ahead=10)) == {"attic": 3}


def test_a_room_count_change_moves_the_warm_nights_too(
    api, tenant, suite, django_capture_on_commit_callbacks
):
    warm()
    previous, suite.room_count = suite.room_count, 2

    with django_capture_on_commit_callbacks(execute=True):
        suite.save()
        inventory_sync(room_type=suite, previous_room_count=previous)

    assert available(search(api, tenant)) == {"suite": 2}


def test_the_warm_configuration_follows_the_hotel(tenant, standard, django_capture_on_commit_callbacks):
    warm()
    reads = CacheReads()

    with django_capture_on_commit_callbacks(execute=True):
        ChannelAccountFactory(tenant=tenant)
    check_in, check_out = stay(tenant=tenant)
    availability_for(tenant=tenant, check_in=check_in, check_out=check_out, guests=1)

    assert (reads("config", "hit"), reads("config", "miss")) == (0, 1)


def test_an_unknown_room_type_is_refused_from_the_warm_configuration(api, tenant, standard):
    warm()
    check_in, check_out = stay(tenant=tenant)

    response = api.get("/api/v1/availability/", {"check_in": check_in, "check_out": check_out,
                                                  "room_type": "penthouse"})

    assert response.status_code == 400
    assert response.json() == {"room_type": ["Tipo de habitación desconocido."]}


def test_the_party_size_and_room_type_filters_apply_to_warm_answers(api, tenant, standard, suite):
    warm()

    assert available(search(api, tenant, guests=3)) == {"suite": 1}
    assert available(search(api, tenant, room_type="standard")) == {"standard": 3}


def test_another_hotels_warm_copy_is_not_this_ones(api, tenant, standard, other_tenant):
    RoomTypeFactory(tenant=other_tenant, code="standard", room_count=9)
    warm()

    assert available(search(api, tenant)) == {"standard": 3}


def test_without_a_cache_the_database_answers(api, tenant, standard, settings):
    warm()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    assert available(search(api, tenant)) == {"standard": 3}


def test_an_unreachable_cache_leaves_answers_and_bookings_to_the_database(
    tenant, suite, monkeypatch, caplog, django_capture_on_commit_callbacks, cache_down
):
    monkeypatch.setattr(warm_copy, "_reads_resume_at", 0.0)  # the back-off this test starts ends with it
    check_in, check_out = stay(tenant=tenant)

    before = availability_for(tenant=tenant, check_in=check_in, check_out=check_out, guests=1)
    with django_capture_on_commit_callbacks(execute=True):
        book(tenant, suite, nights=2)
    after = availability_for(tenant=tenant, check_in=check_in, check_out=check_out, guests=1)

    assert [offer.available for offer in before.offers] == [1]
    assert [offer.available for offer in after.offers] == [0]
    assert "could not invalidate the warm copy" in caplog.text
