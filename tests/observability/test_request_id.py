"""Every response names its request, and every line the request logs says the same."""
import json
import re

import pytest

from security import log_context

pytestmark = pytest.mark.django_db


def test_a_request_without_an_id_gets_a_new_one(client):
    response = client.get("/health/live")

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_the_callers_id_is_kept_when_it_looks_like_one(client):
    response = client.get("/health/live", HTTP_X_REQUEST_ID="lb-7f3a.01_x")

    assert response["X-Request-ID"] == "lb-7f3a.01_x"


@pytest.mark.parametrize("offered", ["two words", "x" * 129, "id\nFORGED log line", "ünïcode", ""])
def test_an_id_that_does_not_look_like_one_is_replaced(client, offered):
    response = client.get("/health/live", HTTP_X_REQUEST_ID=offered)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_lines_logged_after_the_view_returned_carry_the_id_too(client, json_logs):
    response = client.get("/api/v1/reservations/", HTTP_AUTHORIZATION="Api-Key wrong-key")

    lines = [json.loads(line) for line in json_logs.getvalue().splitlines()]
    unauthorized = next(line for line in lines if line["logger"] == "django.request")
    assert response.status_code == 401
    assert unauthorized["request_id"] == response["X-Request-ID"]


def test_nothing_stays_bound_once_the_response_is_out(api):
    response = api.get("/api/v1/reservations/", HTTP_X_REQUEST_ID="gone-after")

    assert response.status_code == 200
    assert log_context.current() == {}
