import pytest
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from security.api_keys import api_key_create, api_key_revoke
from security.models import ApiKey, AuditEvent

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("get", "/api/v1/availability/"),
    ("get", "/api/v1/reservations/"),
    ("post", "/api/v1/reservations/"),
    ("get", "/api/v1/reservations/HA-AAAAAA/"),
    ("post", "/api/v1/reservations/HA-AAAAAA/cancel/"),
]


def auth_failures():
    with scopes_disabled():
        return list(AuditEvent.objects.filter(event_type=AuditEvent.Type.AUTH_FAILURE))


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_every_endpoint_needs_a_key(tenant, method, url):
    response = getattr(APIClient(), method)(url)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or missing API key."}
    assert response["WWW-Authenticate"] == "Api-Key"


def test_missing_key_is_audited(tenant):
    APIClient().get("/api/v1/reservations/", REMOTE_ADDR="203.0.113.7")

    [event] = auth_failures()
    assert event.actor == "anonymous"
    assert event.ip_address == "203.0.113.7"
    assert event.resource == "/api/v1/reservations/"
    assert event.details == {"reason": "missing_api_key", "method": "GET"}


def test_wrong_key_is_refused_and_audited_with_its_prefix(tenant, api_key):
    prefix = api_key.split("_")[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key ha_{prefix}_not-the-secret")

    response = client.get("/api/v1/reservations/")

    assert response.status_code == 401
    [event] = auth_failures()
    assert event.actor == f"api_key:{prefix}"
    assert event.details["reason"] == "invalid_api_key"


def test_another_scheme_is_refused(tenant, api_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key}")

    assert client.get("/api/v1/reservations/").status_code == 401
    assert auth_failures()[0].details["reason"] == "missing_api_key"


def test_revoked_key_is_refused(tenant, api, api_key):
    with scopes_disabled():
        api_key_revoke(api_key=ApiKey.objects.get(prefix=api_key.split("_")[1]))

    assert api.get("/api/v1/reservations/").status_code == 401
    assert auth_failures()[0].details["reason"] == "invalid_api_key"


def test_key_of_an_inactive_hotel_is_refused(tenant, api):
    tenant.is_active = False
    tenant.save()

    assert api.get("/api/v1/reservations/").status_code == 401
    [event] = auth_failures()
    assert event.tenant == tenant
    assert event.details["reason"] == "inactive_tenant"


def test_a_good_key_gets_in_and_leaves_no_failure(api):
    assert api.get("/api/v1/reservations/").status_code == 200
    assert auth_failures() == []


def test_a_key_speaks_for_its_own_hotel_only(api, other_tenant, booking_payload):
    _, harbor_key = api_key_create(tenant=other_tenant, name="harbor")
    harbor = APIClient()
    harbor.credentials(HTTP_AUTHORIZATION=f"Api-Key {harbor_key}")
    api.post("/api/v1/reservations/", booking_payload, format="json")

    assert harbor.get("/api/v1/reservations/").json()["count"] == 0
    assert api.get("/api/v1/reservations/").json()["count"] == 1
