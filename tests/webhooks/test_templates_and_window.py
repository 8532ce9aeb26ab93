"""WhatsApp's 24-hour window: free text within it, the hotel's approved template
for the message's purpose outside it, nothing (and staff told why) without one.
Against the Graph API stand-in on a real socket, including Meta's own word on
the window (error 131047) when our clock disagrees."""
import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.factories import ConversationFactory, InboundMessageFactory
from webhooks.models import MessageTemplate, OutboundMessage
from webhooks.selectors import conversation_thread
from webhooks.tasks import send_outbound_message

pytestmark = pytest.mark.django_db

SOL = "100000000000001"
OUTSIDE_WINDOW = {"error": {"message": "(#131047) Re-engagement message", "type": "OAuthException",
                            "code": 131047, "error_data": {"details": "More than 24 hours have passed"}}}


def guest_wrote(tenant, *, hours_ago: float, language: str = "es"):
    conversation = ConversationFactory(tenant=tenant, language=language)
    InboundMessageFactory(conversation=conversation, account_external_id=SOL,
                          sent_at=timezone.now() - datetime.timedelta(hours=hours_ago))
    return conversation


def message(conversation, **fields) -> OutboundMessage:
    with scopes_disabled():
        return OutboundMessage.objects.create(**{
            "tenant": conversation.tenant, "conversation": conversation, "channel": "whatsapp",
            "account_external_id": SOL, "recipient_id": conversation.guest_id,
            "text": "Su llegada es el 12 de marzo. ¡Le esperamos!", "purpose": "pre_arrival",
            "template_values": {"guest_name": "Ana García", "reservation_code": "HA-7Q2K9",
                                "check_in_date": "12 de marzo de 2027"},
            **fields,
        })


def template(tenant, *, language="es", purpose="pre_arrival", name="llegada_v1", **fields):
    with scopes_disabled():
        return MessageTemplate.objects.create(
            tenant=tenant, purpose=purpose, name=name, language=language,
            parameters=fields.pop("parameters", ["guest_name", "reservation_code", "check_in_date"]),
            **fields,
        )


def send(outbound) -> OutboundMessage:
    send_outbound_message.apply(args=[outbound.pk]).get()
    with scopes_disabled():
        return OutboundMessage.objects.get(pk=outbound.pk)


def test_within_the_window_a_message_with_a_purpose_goes_as_free_text(hotel_sol, graph_api):
    template(hotel_sol)
    outbound = message(guest_wrote(hotel_sol, hours_ago=2))

    sent = send(outbound)

    [request] = graph_api.requests
    assert request["json"]["type"] == "text"
    assert request["json"]["text"]["body"] == "Su llegada es el 12 de marzo. ¡Le esperamos!"
    assert (sent.status, sent.template) == ("sent", None)


def test_outside_the_window_it_goes_as_the_template_with_its_parameters_in_order(hotel_sol, graph_api):
    approved = template(hotel_sol, parameters=["reservation_code", "guest_name", "check_in_date"])
    outbound = message(guest_wrote(hotel_sol, hours_ago=30))

    sent = send(outbound)

    [request] = graph_api.requests
    assert request["path"].endswith(f"/{SOL}/messages")
    assert request["json"] == {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": outbound.recipient_id,
        "type": "template",
        "template": {"name": "llegada_v1", "language": {"code": "es"}, "components": [
            {"type": "body", "parameters": [
                {"type": "text", "text": "HA-7Q2K9"},
                {"type": "text", "text": "Ana García"},
                {"type": "text", "text": "12 de marzo de 2027"},
            ]},
        ]},
    }
    assert (sent.status, sent.template, sent.external_id) == ("sent", approved, "wamid.out.1")


def test_a_guest_who_never_wrote_gets_the_template(hotel_sol, graph_api):
    template(hotel_sol)
    conversation = ConversationFactory(tenant=hotel_sol)  # a reservation's phone, no message yet

    sent = send(message(conversation))

    assert graph_api.requests[0]["json"]["type"] == "template"
    assert sent.status == "sent"


def test_a_missing_parameter_value_is_sent_as_a_dash_and_new_lines_are_flattened(hotel_sol, graph_api):
    template(hotel_sol, parameters=["guest_name", "address"])
    outbound = message(ConversationFactory(tenant=hotel_sol),
                       template_values={"guest_name": "Ana\n\nGarcía   López"})

    send(outbound)

    parameters = graph_api.requests[0]["json"]["template"]["components"][0]["parameters"]
    assert [parameter["text"] for parameter in parameters] == ["Ana García López", "-"]


def test_without_a_template_nothing_is_sent_and_staff_read_why(hotel_sol, graph_api):
    conversation = guest_wrote(hotel_sol, hours_ago=30)
    template(hotel_sol, purpose="post_stay_survey", name="encuesta", parameters=[])  # another purpose
    template(hotel_sol, name="inactiva", language="en", is_active=False)
    outbound = message(conversation)

    failed = send(outbound)

    assert graph_api.requests == []
    assert failed.status == "failed"
    assert failed.error["reason"] == "template_missing"
    with scopes_disabled():
        [entry] = [entry for entry in conversation_thread(conversation=conversation) if entry.side == "hotel"]
    assert "no approved template for this kind of message" in entry.error


def test_metas_131047_resends_the_message_as_its_template_at_once(hotel_sol, graph_api):
    approved = template(hotel_sol)
    outbound = message(guest_wrote(hotel_sol, hours_ago=23.9))  # our clock: open; Meta's: closed
    graph_api.answer(400, OUTSIDE_WINDOW)

    sent = send(outbound)

    assert [request["json"]["type"] for request in graph_api.requests] == ["text", "template"]
    assert (sent.status, sent.template, sent.attempts) == ("sent", approved, 1)
    assert sent.external_id == "wamid.out.1"


def test_131047_without_a_template_fails_with_the_window_as_the_reason(hotel_sol, graph_api):
    outbound = message(guest_wrote(hotel_sol, hours_ago=23.9))
    graph_api.answer(400, OUTSIDE_WINDOW)

    failed = send(outbound)

    assert len(graph_api.requests) == 1
    assert (failed.status, failed.error["reason"]) == ("failed", "customer_service_window_closed")


def test_a_reply_without_a_purpose_is_left_to_meta(hotel_sol, graph_api):
    """The agent's answers are written while the guest is there; a template would
    be no answer to what they asked."""
    template(hotel_sol)
    outbound = message(guest_wrote(hotel_sol, hours_ago=30), purpose="", template_values={})
    graph_api.answer(400, OUTSIDE_WINDOW)

    failed = send(outbound)

    assert [request["json"]["type"] for request in graph_api.requests] == ["text"]
    assert failed.error["reason"] == "customer_service_window_closed"


@pytest.mark.parametrize(("guest_language", "expected"), [("en", "en_US"), ("es", "es"), ("fr", "es")])
def test_the_template_in_the_guests_language_is_chosen(hotel_sol, graph_api, guest_language, expected):
    template(hotel_sol, language="en_US", name="arrival_v1")
    template(hotel_sol, language="es")  # Hotel Sol's own language: the fallback
    outbound = message(guest_wrote(hotel_sol, hours_ago=30, language=guest_language))

    send(outbound)

    assert graph_api.requests[0]["json"]["template"]["language"] == {"code": expected}


def test_one_hotels_template_is_never_used_for_another(hotel_sol, other_tenant, graph_api):
    template(other_tenant)
    outbound = message(guest_wrote(hotel_sol, hours_ago=30))

    failed = send(outbound)

    assert graph_api.requests == []
    assert failed.error["reason"] == "template_missing"


def test_a_retry_after_a_server_error_outside_the_window_still_uses_the_template(hotel_sol, graph_api):
    """A message with a purpose is not given up at the window's end: its
    template can go later."""
    template(hotel_sol)
    outbound = message(guest_wrote(hotel_sol, hours_ago=30))
    graph_api.answer(500)

    waiting = send(outbound)
    assert waiting.status == "pending"
    with scopes_disabled():
        OutboundMessage.objects.filter(pk=outbound.pk).update(next_attempt_at=timezone.now())
    sent = send(outbound)

    assert [request["json"]["type"] for request in graph_api.requests] == ["template", "template"]
    assert sent.status == "sent"
