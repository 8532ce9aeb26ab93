"""Redis (the cache) down: the API still answers. Keys are then checked against
the database, and the counters that live in the cache (an address's failures, a
guest's messages per minute) read 0: guessing and flooding go unthrottled for
the outage (every failure is still audited) rather than every request of every
hotel failing, or every web-chat message getting the apology for a failure."""
import pytest
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from security.models import AuditEvent
from tests.factories import stay
from webhooks.models import InboundMessage

pytestmark = pytest.mark.django_db

AVAILABILITY = "/api/v1/availability/"


def query(tenant):
    check_in, check_out = stay(tenant=tenant)
    return {"check_in": check_in.isoformat(), "check_out": check_out.isoformat(), "guests": 2}


def test_a_right_key_is_answered(api, tenant, standard, cache_down):
    response = api.get(AVAILABILITY, query(tenant))

    assert response.status_code == 200
    assert [offer["code"] for offer in response.json()["room_types"]] == [standard.code]


def test_a_wrong_key_is_401_and_audited(tenant, cache_down):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Api-Key ha_live_not-a-key")

    response = client.get(AVAILABILITY, query(tenant))

    assert response.status_code == 401
    with scopes_disabled():
        [event] = AuditEvent.objects.filter(event_type="AUTH_FAILURE")
    assert event.details["reason"] == "invalid_api_key"


def test_no_key_is_401(tenant, cache_down):
    assert APIClient().get(AVAILABILITY, query(tenant)).status_code == 401


def test_a_web_chat_message_is_answered_by_the_agent(api, tenant, standard, cache_down):
    check_in, check_out = stay(tenant=tenant)
    text = f"hola, teneis habitacion del {check_in:%d/%m} al {check_out:%d/%m}, somos 2 personas"

    response = api.post("/api/v1/messages/", {"sender": "visitor-7", "text": text}, format="json")

    assert response.status_code == 200
    assert "Standard" in response.json()["reply"]  # the room offered, not the apology for a failure
    with scopes_disabled():
        [message] = InboundMessage.objects.filter(channel="web")
    assert message.status == InboundMessage.Status.PROCESSED
