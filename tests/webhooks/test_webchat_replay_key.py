"""A web-chat message id is the website's choice, so it is only unique per guest:
the replay key is (hotel, channel, sender, message id). Nobody ever receives
another guest's conversation by reusing their id."""
import pytest
from django_scopes import scopes_disabled

from security.models import AuditEvent
from webhooks.models import InboundMessage

pytestmark = pytest.mark.django_db

BOOKING_TALK = "Hola, soy Ana García, ana.garcia@example.com, mi teléfono es +34 612 345 678"


def say(api, sender, text, message_id=None):
    body = {"sender": sender, "text": text}
    if message_id is not None:
        body["message_id"] = message_id
    response = api.post("/api/v1/messages/", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_another_guests_message_id_is_a_new_message_not_their_reply(api, standard):
    first = say(api, "visitor-ana", BOOKING_TALK, message_id="m-1")

    intruder = say(api, "visitor-eve", "Hola", message_id="m-1")

    assert intruder["conversation"] != first["conversation"]
    assert "Ana" not in intruder["reply"] and "612" not in intruder["reply"]
    with scopes_disabled():
        assert sorted(InboundMessage.objects.values_list("sender_id", "external_id")) == [
            ("visitor-ana", "m-1"), ("visitor-eve", "m-1"),
        ]


def test_the_reuse_is_audited_as_suspicious(api, tenant, standard):
    say(api, "visitor-ana", "Hola", message_id="m-7")

    say(api, "visitor-eve", "Hola", message_id="m-7")

    with scopes_disabled():
        event = AuditEvent.objects.get(action="webchat_message_id_reused")
    assert event.event_type == "SUSPICIOUS_ACTIVITY"
    assert event.tenant_id == tenant.pk
    assert event.actor == "web:visitor-eve"


@pytest.mark.parametrize("message_id", ["m-2", "x" * 255, "ñ-ü-😀"])
def test_the_same_guest_resending_gets_the_stored_answer(api, standard, message_id):
    first = say(api, "visitor-ana", "Hola", message_id=message_id)

    again = say(api, "visitor-ana", "something else entirely", message_id=message_id)

    assert again == first
    with scopes_disabled():
        assert InboundMessage.objects.count() == 1
        assert not AuditEvent.objects.filter(action="webchat_message_id_reused").exists()


def test_the_same_id_at_another_hotel_is_another_message(api, standard, other_tenant):
    from security.api_keys import api_key_create
    from tests.factories import RoomTypeFactory

    RoomTypeFactory(tenant=other_tenant, code="standard")
    say(api, "visitor-ana", "Hola", message_id="m-3")
    other = api.__class__()
    other.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_create(tenant=other_tenant, name='t')[1]}")

    answer = say(other, "visitor-ana", "Hello", message_id="m-3")

    assert answer["reply"]
    with scopes_disabled():
        assert InboundMessage.objects.filter(external_id="m-3").count() == 2
        assert not AuditEvent.objects.filter(action="webchat_message_id_reused").exists()


def test_messages_without_an_id_never_collide(api, standard):
    say(api, "visitor-ana", "Hola")
    say(api, "visitor-eve", "Hola")

    with scopes_disabled():
        assert InboundMessage.objects.count() == 2
