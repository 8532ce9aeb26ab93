import pytest
from django_scopes import scopes_disabled

from webhooks.models import InboundMessage

pytestmark = pytest.mark.django_db


def test_web_chat_answers_synchronously(api, standard):
    response = api.post("/api/v1/messages/", {"sender": "visitor-1", "text": "Hola", "channel": "web"},
                        format="json")

    assert response.status_code == 200
    assert response.json()["reply"]
    assert response.json()["conversation"]
    with scopes_disabled():
        assert InboundMessage.objects.get().channel == "web"


def test_web_chat_keeps_the_conversation_across_messages(api, standard):
    first = api.post("/api/v1/messages/", {"sender": "visitor-2", "text": "Hola"}, format="json")
    second = api.post("/api/v1/messages/", {"sender": "visitor-2", "text": "Gracias"}, format="json")

    assert first.json()["conversation"] == second.json()["conversation"]


def test_resending_a_message_id_replays_the_reply(api, standard):
    body = {"sender": "visitor-3", "text": "Hola", "message_id": "m-1"}

    first = api.post("/api/v1/messages/", body, format="json")
    again = api.post("/api/v1/messages/", body, format="json")

    assert again.json() == first.json()
    with scopes_disabled():
        assert InboundMessage.objects.count() == 1


def test_web_chat_needs_an_api_key(client, db):
    response = client.post(
        "/api/v1/messages/", {"sender": "x", "text": "Hola"}, content_type="application/json"
    )

    assert response.status_code == 401


@pytest.mark.parametrize("body, field", [
    ({"text": "Hola"}, "sender"),
    ({"sender": "x"}, "text"),
    ({"sender": "x", "text": "Hola", "channel": "whatsapp"}, "channel"),
    ({"sender": "x", "text": "a" * 5000}, "text"),
])
def test_bad_web_messages_get_field_errors(api, db, body, field):
    response = api.post("/api/v1/messages/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_an_unexpected_failure_gets_an_apology_not_a_500(api, tenant, standard, monkeypatch, mailoutbox):
    def broken_agent(**kwargs):
        raise RuntimeError("agent exploded")

    monkeypatch.setattr("webhooks.processing.respond", broken_agent)  # a bug standing in for any bug

    response = api.post("/api/v1/messages/", {"sender": "visitor-9", "text": "Hola"}, format="json")

    assert response.status_code == 200
    assert tenant.support_phone in response.json()["reply"]
    with scopes_disabled():
        assert InboundMessage.objects.get().status == "failed"
    assert len(mailoutbox) == 1
