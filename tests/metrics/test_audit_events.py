"""Auth failures and hostile input are counted as they are audited, so the
Security dashboard sees what the response codes hide (a failed admin sign-in is a 200)."""
import pytest
from prometheus_client import REGISTRY

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def audited(type_: str, action: str) -> float:
    return REGISTRY.get_sample_value("hotelagent_audit_events_total", {"type": type_, "action": action}) or 0


def test_a_wrong_api_key_is_counted_as_an_api_authentication_failure(client, tenant):
    before = audited("AUTH_FAILURE", "api_authentication")

    response = client.get("/api/v1/reservations/", HTTP_AUTHORIZATION="Api-Key ha_nope_wrong")

    assert response.status_code == 401
    assert audited("AUTH_FAILURE", "api_authentication") == before + 1


def test_a_failed_admin_sign_in_is_counted_though_the_page_answers_200(client):
    UserFactory(username="front-desk", is_staff=True)
    before = sum(audited("AUTH_FAILURE", action) for action in ("admin_login_failed", "admin_login"))

    response = client.post("/admin/login/", {"username": "front-desk", "password": "wrong"})

    assert response.status_code == 200
    after = sum(audited("AUTH_FAILURE", action) for action in ("admin_login_failed", "admin_login"))
    assert after == before + 1


def test_routine_events_count_by_type_alone(client, tenant):
    from security import audit

    before = audited("CONFIGURATION", "")
    audit.record(audit.Type.CONFIGURATION, tenant=tenant, action="room_type_renamed")

    assert audited("CONFIGURATION", "") == before + 1
    assert audited("CONFIGURATION", "room_type_renamed") == 0
