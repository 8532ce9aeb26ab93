import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import RoomTypeFactory, stay

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api):
    """A key already in use: its first request of the minute also writes last_used_at."""
    api.get("/api/v1/reservations/")
    return api


def queries_for_search(api, tenant, *, nights):
    check_in, check_out = stay(nights=nights, tenant=tenant)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(
            "/api/v1/availability/", {"check_in": check_in, "check_out": check_out, "guests": 2}
        )
    assert response.status_code == 200
    return len(queries), response.json()


def test_sixty_nights_cost_as_many_queries_as_two(api, tenant, standard):
    two_nights, _ = queries_for_search(api, tenant, nights=2)
    sixty_nights, body = queries_for_search(api, tenant, nights=60)

    assert len(body["room_types"][0]["nightly_rates"]) == 60
    assert sixty_nights == two_nights


def test_five_room_types_cost_as_many_queries_as_one(api, tenant, standard):
    one_type, _ = queries_for_search(api, tenant, nights=2)
    RoomTypeFactory.create_batch(4, tenant=tenant)
    five_types, body = queries_for_search(api, tenant, nights=2)

    assert len(body["room_types"]) == 5
    assert five_types == one_type
