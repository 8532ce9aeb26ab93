"""Answers the schema once left out, found by fuzzing the API
(tests/security/test_fuzz_api_schema.py): each is now what /api/schema/ says."""
import jsonschema
import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

RESERVATIONS = "/api/v1/reservations/"


@pytest.fixture
def schema():
    return APIClient().get("/api/schema/", {"format": "json"}).json()


def documented(schema, path: str, method: str, status: int) -> dict:
    """The response schema of one status, its $refs resolvable against the whole schema."""
    body = schema["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    return {**body, "components": schema["components"]}


@pytest.mark.parametrize("path", [RESERVATIONS, "/api/v1/messages/"])
def test_a_body_that_is_not_json_is_a_documented_400(api, schema, path):
    response = api.post(path, b"\x00", content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()) == ["detail"]
    jsonschema.validate(response.json(), documented(schema, path, "post", 400))


def test_field_errors_still_match_the_documented_400(api, schema):
    response = api.post(RESERVATIONS, {"guests": "two"}, format="json")

    assert response.status_code == 400
    jsonschema.validate(response.json(), documented(schema, RESERVATIONS, "post", 400))


@pytest.mark.parametrize("page", ["0", "2", "x"])
def test_a_page_that_is_not_in_the_list_is_a_documented_404(api, schema, page):
    response = api.get(RESERVATIONS, {"page": page})

    assert response.status_code == 404
    jsonschema.validate(response.json(), documented(schema, RESERVATIONS, "get", 404))


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "\\j:37", "*/*"])
def test_every_accept_header_gets_json(api, accept):
    response = api.get(RESERVATIONS, HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_a_format_parameter_changes_nothing(api):
    response = api.get(RESERVATIONS, {"format": "xml"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_an_unauthenticated_request_with_an_odd_accept_header_is_still_a_401(db):
    assert APIClient().get(RESERVATIONS, HTTP_ACCEPT="text/html").status_code == 401
