"""Schemathesis against /api/schema/: every operation, with generated valid and
invalid input, through the whole Django stack in-process. No request may end in a
5xx, and every answer must be one the schema documents: its status, its content
type, its headers and its body.

Random dates almost never fall in a hotel's booking window, so a few hooks also
offer the fuzzer stays that can be booked, the seeded reservation's code and a
blacklisted guest: that way the 200/201, 403 and 409 answers are checked too,
not only the 400s and 404s."""
import datetime

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from reservations.services import reservation_create
from security.api_keys import api_key_create
from tests.factories import BlacklistEntryFactory, RoomTypeFactory, stay

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
    response_schema_conformance,
]
BANNED = "banned@example.com"


@pytest.fixture
def seeded(tenant, standard):
    """The hotel the fuzzer works at: two room types (one suite, soon full), a
    reservation, a blacklisted guest and an API key."""
    RoomTypeFactory(tenant=tenant, code="suite", name="Suite", max_guests=4, room_count=1)
    BlacklistEntryFactory(tenant=tenant, email=BANNED)
    check_in, check_out = stay(tenant=tenant)
    reservation = reservation_create(
        tenant=tenant, room_type="standard", check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email="ana@example.com", guest_phone="+34612345678", source="api",
    )
    return reservation, api_key_create(tenant=tenant, name="fuzz")[1]


def stays(tenant):
    """(check_in, check_out) as ISO dates inside the hotel's booking window."""
    today = tenant.local_today()
    return st.tuples(st.integers(0, 30), st.integers(1, 8)).map(lambda start_nights: (
        (today + datetime.timedelta(days=start_nights[0])).isoformat(),
        (today + datetime.timedelta(days=sum(start_nights))).isoformat(),
    ))


def bookings(tenant):
    return st.tuples(
        stays(tenant), st.sampled_from(["standard", "suite"]), st.integers(1, 4),
        st.sampled_from(["ana@example.com", "luis@example.com", BANNED]),
    ).map(lambda fields: {
        "check_in": fields[0][0], "check_out": fields[0][1], "room_type": fields[1], "guests": fields[2],
        "guest_email": fields[3], "guest_name": "Luis Pérez", "guest_phone": "+34 612 000 111",
    })


@pytest.fixture
def app():
    """Django's WSGI application, served in the test's transaction: like Django's
    test client, it must not close the connection (and so roll the test data
    back) at the end of each request."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield WSGIHandler()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def api_schema(app, tenant, seeded):
    reservation, _key = seeded
    loaded = schemathesis.openapi.from_wsgi("/api/schema/", app)

    @loaded.hook
    def flatmap_path_parameters(context, path_parameters):
        if not isinstance(path_parameters, dict) or "code" not in path_parameters:
            return st.just(path_parameters)
        return st.sampled_from([{**path_parameters, "code": reservation.code}, path_parameters])

    @loaded.hook
    def flatmap_query(context, query):
        if context.operation.label != "GET /api/v1/availability/" or not isinstance(query, dict):
            return st.just(query)
        bookable = st.tuples(stays(tenant), st.integers(1, 4)).map(lambda fields: {
            **query, "check_in": fields[0][0], "check_out": fields[0][1], "guests": fields[1],
        })
        return st.one_of(bookable, st.just(query))

    @loaded.hook
    def flatmap_body(context, body):
        if context.operation.label != "POST /api/v1/reservations/" or not isinstance(body, dict):
            return st.just(body)
        return st.one_of(bookings(tenant).map(lambda booking: {**body, **booking}), st.just(body))

    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_answers_as_its_schema_says(case, seeded):
    _reservation, key = seeded
    case.call_and_validate(headers={"Authorization": f"Api-Key {key}"}, checks=CHECKS)
