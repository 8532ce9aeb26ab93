"""What one agent turn costs the database, whatever the hotel's size: the room
types, the hotel's knowledge base and two-night availability come from the warm
copy, so a turn that quotes prices stays within a fixed number of queries."""
import datetime

import pytest
from django.core.cache import cache

from reservations.cache_warming import warm
from tests.cache.helpers import CacheReads
from tests.factories import RoomTypeFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES_PER_TURN = 8


def say(api, text):
    response = api.post("/api/v1/messages/", {"sender": "visitor-7", "text": text}, format="json")
    assert response.status_code == 200
    return response.json()["reply"]


@pytest.mark.parametrize("room_types", [1, 6])
def test_a_turn_that_quotes_availability_runs_a_fixed_number_of_queries(
    api, tenant, room_types, django_assert_max_num_queries
):
    cache.clear()
    for n in range(room_types):
        RoomTypeFactory(tenant=tenant, code=f"room-{n}", name=f"Room {n}", max_guests=2 + n % 3)
    warm(slugs=[tenant.slug], days=30)
    check_in = tenant.local_today() + datetime.timedelta(days=5)
    say(api, "hola")  # the conversation exists: the turn measured is an ordinary one
    say(api, "gracias")

    with django_assert_max_num_queries(MAX_QUERIES_PER_TURN):
        reply = say(api, f"¿tenéis habitación el {check_in:%d/%m/%Y} por 2 noches para 2?")

    assert "Room 0" in reply


def test_a_turn_reads_the_hotels_warm_configuration_once(api, tenant):
    cache.clear()
    RoomTypeFactory(tenant=tenant, code="double", name="Double", max_guests=2)
    warm(slugs=[tenant.slug], days=30)
    check_in = tenant.local_today() + datetime.timedelta(days=5)
    say(api, "hola")
    reads = CacheReads()

    reply = say(api, f"¿tenéis habitación el {check_in:%d/%m/%Y} por 2 noches para 2?")

    assert "Double" in reply
    assert (reads("config", "hit"), reads("config", "miss")) == (1, 0)
