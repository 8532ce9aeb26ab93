"""Availability and rates of a QloApps hotel come from POST /api/hotel_ari."""
import base64
import xml.etree.ElementTree as ET  # noqa: S405

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import RoomTypeFactory, stay

from .fake_qloapps import KEY

pytestmark = pytest.mark.django_db

URL = "/api/v1/availability/"


def search(api, tenant, **params):
    check_in, check_out = stay(tenant=tenant)
    return api.get(URL, {"check_in": check_in, "check_out": check_out, "guests": 2, **params})


def test_rooms_and_prices_are_qloapps_nightly_answers(api, qlo_hotel, qlo):
    response = search(api, qlo_hotel)

    assert response.status_code == 200
    [offer] = response.json()["room_types"]
    assert offer["available"] == 3
    assert offer["nightly_rates"] == ["120.00", "120.00"]
    assert response.json()["degraded"] is False


def test_the_call_is_one_hotel_ari_search_with_key_dates_and_occupancy(api, qlo_hotel, qlo):
    check_in, check_out = stay(tenant=qlo_hotel)

    search(api, qlo_hotel)

    [request] = qlo.requests
    assert (request["method"], request["path"], request["query"]["output_format"]) == (
        "POST", "/api/hotel_ari", "JSON"
    )
    assert request["authorization"] == "Basic " + base64.b64encode(f"{KEY}:".encode()).decode()
    ari = ET.fromstring(request["body"]).find("hotel_ari")  # noqa: S314
    assert ari.findtext("id_hotel") == "1"
    assert ari.findtext("date_from") == check_in.isoformat()
    assert ari.findtext("date_to") == check_out.isoformat()
    assert ari.findtext("date_wise_breakdown") == "1"
    assert ari.findtext("associations/room_occupancies/room_occupancy/adults") == "2"


def test_a_night_booked_out_in_qloapps_leaves_no_room(api, qlo_hotel, qlo):
    check_in, _ = stay(tenant=qlo_hotel)
    qlo.bookings[1] = {"id": 1, "status": 1, "customer_id": 1, "room_ids": [1101, 1102, 1103],
                       "nights": [check_in]}

    [offer] = search(api, qlo_hotel).json()["room_types"]

    assert offer["available"] == 0


def test_a_room_type_without_a_qloapps_id_is_not_offered(api, qlo_hotel, qlo):
    RoomTypeFactory(tenant=qlo_hotel, code="suite", name="Suite", max_guests=2)

    offers = {offer["code"]: offer["available"] for offer in search(api, qlo_hotel).json()["room_types"]}

    assert offers == {"standard": 3, "suite": 0}


def test_each_qloapps_room_type_maps_to_the_hotels_code(api, qlo_hotel, qlo):
    qlo.add_room_type(12, "Deluxe room", rooms=1, rate="200.00")
    RoomTypeFactory(tenant=qlo_hotel, code="deluxe", name="Deluxe", max_guests=2, pms_room_type_id="12")

    offers = {o["code"]: (o["available"], o["total"]) for o in search(api, qlo_hotel).json()["room_types"]}

    assert offers == {"standard": (3, "240.00"), "deluxe": (1, "400.00")}
    assert len(qlo.requests) == 1  # every room type in one search


def count_queries(api, tenant, *, nights):
    check_in, check_out = stay(nights=nights, tenant=tenant)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(URL, {"check_in": check_in, "check_out": check_out, "guests": 2})
    assert response.status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_nights_or_room_types_while_the_copy_is_kept(api, qlo_hotel, qlo):
    api.get("/api/v1/reservations/")  # the key's first request of the minute also writes last_used_at
    two_nights = count_queries(api, qlo_hotel, nights=2)
    thirty_nights = count_queries(api, qlo_hotel, nights=30)
    qlo.add_room_type(12, "Deluxe room")
    RoomTypeFactory(tenant=qlo_hotel, code="deluxe", name="Deluxe", max_guests=2, pms_room_type_id="12")

    assert thirty_nights == two_nights
    assert count_queries(api, qlo_hotel, nights=30) == two_nights
