import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operation(schema, path, method):
    return schema["paths"][path][method]


def api_v1(schema):
    return {path: ops for path, ops in schema["paths"].items() if path.startswith("/api/v1/")}


def test_schema_is_valid_and_warning_free(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))


def test_every_endpoint_is_described(schema):
    operations = {
        (path, method): op["operationId"]
        for path, ops in api_v1(schema).items() for method, op in ops.items()
    }

    assert operations == {
        ("/api/v1/availability/", "get"): "availability",
        ("/api/v1/reservations/", "get"): "reservations_list",
        ("/api/v1/reservations/", "post"): "reservation_create",
        ("/api/v1/reservations/{code}/", "get"): "reservation_retrieve",
        ("/api/v1/reservations/{code}/", "patch"): "reservation_change",
        ("/api/v1/reservations/{code}/cancel/", "post"): "reservation_cancel",
        ("/api/v1/messages/", "post"): "message_create",
    }


def test_every_operation_needs_the_api_key(schema):
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"]["name"] == "Authorization"
    signed = {"WebhookSignature": [], "WebhookTenant": []}  # the web chat may sign instead
    for path, ops in api_v1(schema).items():
        for op in ops.values():
            alternatives = [signed] if path == "/api/v1/messages/" else []
            assert op["security"] == [*alternatives, {"ApiKeyAuth": []}]
            assert "401" in op["responses"]


def test_availability_documents_its_query_and_an_example(schema):
    op = operation(schema, "/api/v1/availability/", "get")

    assert {p["name"] for p in op["parameters"]} == {"check_in", "check_out", "guests", "room_type"}
    assert set(op["responses"]) == {"200", "400", "401", "429", "502", "503"}
    assert op["responses"]["200"]["content"]["application/json"]["examples"]


def test_booking_documents_idempotency_errors_and_examples(schema):
    op = operation(schema, "/api/v1/reservations/", "post")

    [header] = [p for p in op["parameters"] if p["in"] == "header"]
    assert header["name"] == "Idempotency-Key"
    assert set(op["responses"]) == {"201", "400", "401", "403", "409", "422", "429", "502", "503"}
    assert "Idempotent-Replayed" in op["responses"]["201"]["headers"]
    assert op["requestBody"]["content"]["application/json"]["examples"]
    assert op["responses"]["201"]["content"]["application/json"]["examples"]


def test_listing_documents_filters_and_pagination(schema):
    op = operation(schema, "/api/v1/reservations/", "get")

    assert {p["name"] for p in op["parameters"]} == {
        "status", "guest_email", "check_in_from", "check_in_to", "page"
    }
    assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "PaginatedReservationList"
    )


def test_money_is_documented_as_decimal_strings(schema):
    reservation = schema["components"]["schemas"]["Reservation"]["properties"]

    for field in ("subtotal", "total", "discount_rate"):
        assert (reservation[field]["type"], reservation[field]["format"]) == ("string", "decimal")
    assert reservation["nightly_rates"]["items"]["format"] == "decimal"


def test_unknown_reservations_are_documented_as_404(schema):
    assert "404" in operation(schema, "/api/v1/reservations/{code}/", "get")["responses"]
    assert "404" in operation(schema, "/api/v1/reservations/{code}/cancel/", "post")["responses"]


def test_an_unavailable_pms_is_documented_as_503_with_retry_after(schema):
    for path, method in (("/api/v1/availability/", "get"), ("/api/v1/reservations/", "post")):
        unavailable = operation(schema, path, method)["responses"]["503"]

        assert "Retry-After" in unavailable["headers"]
        assert unavailable["content"]["application/json"]["examples"]


def test_availability_says_whether_it_is_degraded(schema):
    availability = schema["components"]["schemas"]["Availability"]["properties"]

    assert availability["degraded"]["type"] == "boolean"
    assert availability["as_of"]["nullable"] is True
