"""Whatever a client sends, the answer is a 4xx, never a 500 (the test client
re-raises server errors, so a 500 fails these tests loudly)."""
import json

import pytest
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from reservations.models import Reservation

pytestmark = pytest.mark.django_db

RESERVATIONS = "/api/v1/reservations/"


@pytest.mark.parametrize("raw_body", [
    b"{not json",
    b"\xff\xfe\x00{",
    b"[]",
    b"null",
    b'"a string"',
    b'{"guests": ' + b"9" * 5000 + b"}",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"guest_name": "\\ud800", "guest_email": "\\udfff@example.com"}',
])
def test_malformed_bodies_are_bad_requests(api, standard, raw_body):
    response = api.post(RESERVATIONS, raw_body, content_type="application/json")

    assert response.status_code == 400


@pytest.mark.parametrize("changes", [
    {"guests": "two"},
    {"guests": 2.5},
    {"guests": True},
    {"guests": [2]},
    {"guests": 10**30},
    {"guests": -(10**30)},
    {"guests": "9" * 2000},
    {"check_in": "2026-02-30"},
    {"check_in": 20260601},
    {"check_in": None},
    {"check_out": "9999-12-31"},
    {"check_in": "0001-01-01"},
    {"room_type": "no-such-room"},
    {"room_type": "x" * 10_000},
    {"room_type": {"code": "standard"}},
    {"room_type": "standard\x00"},
    {"guest_name": "\x00"},
    {"guest_name": "<script></script>"},
    {"guest_email": ["ana@example.com"]},
    {"guest_phone": "+" + "1" * 300},
    {"special_requests": "x" * 100_000},
    {"special_requests": None},
])
def test_wrong_values_are_field_errors(book, changes):
    response = book(**changes)

    assert response.status_code == 400
    assert set(changes) <= set(response.json())
    with scopes_disabled():
        assert not Reservation.objects.exists()


def test_a_lone_surrogate_is_a_field_error(api, booking_payload):
    raw = json.dumps({**booking_payload, "guest_name": "\ud800"})

    response = api.post(RESERVATIONS, raw, content_type="application/json")

    assert response.json() == {"guest_name": ["Introduzca un texto Unicode válido."]}


def test_other_content_types_are_refused(api, booking_payload):
    response = api.post(RESERVATIONS, booking_payload)  # multipart form

    assert response.status_code == 415


def test_a_body_over_the_upload_limit_is_refused(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = api.post(RESERVATIONS, {"special_requests": "x" * 2000}, format="json")

    assert response.status_code == 413


@pytest.mark.parametrize("query", [
    "check_in=%FF&check_out=%00&guests=%FF",
    "check_in=2026-01-01&check_in=x&check_out=&guests=1e309",
    "room_type=%00&guests=-1",
])
def test_hostile_availability_queries_are_bad_requests(api, standard, query):
    assert api.get(f"/api/v1/availability/?{query}").status_code == 400


@pytest.mark.parametrize(("query", "status"), [
    ("guest_email=%00", 400),
    ("status=%FF", 400),
    ("page=%00", 404),
    ("page=-1", 404),
    ("page=99999999999999999999", 404),
])
def test_hostile_list_queries_are_client_errors(api, query, status):
    assert api.get(f"{RESERVATIONS}?{query}").status_code == status


@pytest.mark.parametrize("code", ["%00", "%FF", "x" * 5000, "HA-%E2%82%AC"])
def test_odd_reservation_codes_are_not_found(api, code):
    assert api.get(f"{RESERVATIONS}{code}/").status_code == 404
    assert api.post(f"{RESERVATIONS}{code}/cancel/").status_code == 404


@pytest.mark.parametrize("authorization", ["Api-Key ha_\x00_x", "Api-Key ha_abcd_\x00", "Api-Key \xff"])
def test_odd_keys_and_paths_are_unauthorized(tenant, authorization):
    client = APIClient()

    assert client.get(f"{RESERVATIONS}%00/").status_code == 401
    assert client.get(RESERVATIONS, HTTP_AUTHORIZATION=authorization).status_code == 401
