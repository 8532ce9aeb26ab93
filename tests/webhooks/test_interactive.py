"""Choices go to WhatsApp as reply buttons or a list message, and a tap comes
back as its title (for staff) and its id (for the agent). Sending goes through
the Graph API stand-in; taps through the signed webhook view."""
import time

import pytest
from django_scopes import scopes_disabled

from tests.admin.pages import admin_url
from tests.factories import InboundMessageFactory, OutboundMessageFactory
from webhooks.agent.reply import Choice, Reply
from webhooks.models import InboundMessage, OutboundMessage
from webhooks.processing import tapped_choice_id
from webhooks.sending import message_body
from webhooks.tasks import send_outbound_message

from . import payloads

pytestmark = pytest.mark.django_db

ROOMS = [Choice("room:standard", "Estándar", "2 personas · 95 €/noche"),
         Choice("room:double", "Doble", "2 personas · 120 €/noche"),
         Choice("room:suite", "Suite", "4 personas · 240 €/noche")]
DAYS = ["lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo", "lunes 2", "martes 2",
        "finde"]
WEEKDAYS = [Choice(f"day:{n}", name) for n, name in enumerate(DAYS)]


def sent(hotel_sol, graph_api, reply: Reply | str, *, channel: str = "whatsapp") -> dict:
    """What Meta received for `reply`, stored the way processing stores it."""
    with scopes_disabled():
        outbound = OutboundMessage.objects.create(
            tenant=hotel_sol, channel=channel, account_external_id=payloads.SOL_NUMBER_ID,
            recipient_id=payloads.GUEST, text=reply,
            interactive=getattr(reply, "as_interactive", lambda: None)(),
        )
    assert send_outbound_message.apply(args=[outbound.pk]).get() is True
    [request] = graph_api.requests
    return request["json"]


def test_three_short_choices_are_sent_as_reply_buttons(hotel_sol, graph_api):
    reply = Reply("¿Qué habitación prefieres?", ROOMS)

    assert sent(hotel_sol, graph_api, reply) == {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": payloads.GUEST,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "¿Qué habitación prefieres?"},
            "action": {"buttons": [
                {"type": "reply", "reply": {"id": "room:standard", "title": "Estándar"}},
                {"type": "reply", "reply": {"id": "room:double", "title": "Doble"}},
                {"type": "reply", "reply": {"id": "room:suite", "title": "Suite"}},
            ]},
        },
    }
    with scopes_disabled():
        assert OutboundMessage.objects.get().status == "sent"


def test_five_choices_are_sent_as_a_list_with_its_button_label(hotel_sol, graph_api):
    choices = [*ROOMS, Choice("room:family", "Familiar", "4 personas"), Choice("room:single", "Individual")]
    reply = Reply("Estas son las habitaciones libres del 12 al 15 de agosto:", choices,
                  button="Ver habitaciones")

    body = sent(hotel_sol, graph_api, reply)

    assert body["type"] == "interactive"
    assert body["interactive"] == {
        "type": "list",
        "body": {"text": "Estas son las habitaciones libres del 12 al 15 de agosto:"},
        "action": {"button": "Ver habitaciones", "sections": [{"rows": [
            {"id": "room:standard", "title": "Estándar", "description": "2 personas · 95 €/noche"},
            {"id": "room:double", "title": "Doble", "description": "2 personas · 120 €/noche"},
            {"id": "room:suite", "title": "Suite", "description": "4 personas · 240 €/noche"},
            {"id": "room:family", "title": "Familiar", "description": "4 personas"},
            {"id": "room:single", "title": "Individual"},
        ]}]},
    }


def test_a_title_too_long_for_a_button_makes_a_list_with_the_title_cut(hotel_sol, graph_api):
    long_title = "Doble superior con vista"  # 24 chars: too long for a button, fits a row
    longer = "Junior suite con terraza y jacuzzi"
    perks = "Terraza privada, jacuzzi exterior, desayuno incluido para dos, late check-out hasta las 14 h"
    reply = Reply("Which room?", [Choice("r1", "Estándar"), Choice("r2", long_title),
                                  Choice("r3", longer, perks)])

    rows = sent(hotel_sol, graph_api, reply)["interactive"]["action"]["sections"][0]["rows"]

    assert [row["id"] for row in rows] == ["r1", "r2", "r3"]
    assert rows[1]["title"] == long_title
    assert rows[2]["title"] == "Junior suite con terraz…"
    assert len(rows[2]["title"]) == 24
    assert len(rows[2]["description"]) == 72 and rows[2]["description"].endswith("…")


@pytest.mark.parametrize("reply, why", [
    (Reply("Elige un dia", [*WEEKDAYS, Choice("day:x", "otro dia")]), "eleven choices"),
    (Reply("x" * 1025, ROOMS), "a body over 1024 characters"),
    (Reply("", ROOMS), "no body"),
    (Reply("Elige", [Choice("same", "Uno"), Choice("same", "Dos")]), "ids repeated"),
    (Reply("Elige", [Choice("r" * 201, "Uno")]), "an id too long to send"),
    (Reply("Elige", [Choice("r1", "   ")]), "a blank title"),
    ("Hola, ¿en qué te ayudo?", "plain text"),
])
def test_what_does_not_fit_an_interactive_message_goes_as_numbered_text(hotel_sol, graph_api, reply, why):
    body = sent(hotel_sol, graph_api, reply)

    assert body["type"] == "text", why
    assert body["text"] == {"preview_url": False, "body": str(reply)}


def test_ten_choices_still_fit_a_list_and_the_default_label_is_used(hotel_sol, graph_api):
    interactive = sent(hotel_sol, graph_api, Reply("Elige un dia", WEEKDAYS))["interactive"]

    assert interactive["type"] == "list"
    assert interactive["action"]["button"] == "Ver opciones"
    assert len(interactive["action"]["sections"][0]["rows"]) == 10


def test_three_buttons_with_the_same_title_go_as_a_list(hotel_sol, graph_api):
    reply = Reply("¿Cual?", [Choice("a", "Doble"), Choice("b", "Doble"), Choice("c", "Suite")])

    assert sent(hotel_sol, graph_api, reply)["interactive"]["type"] == "list"


def test_a_web_chat_reply_is_its_numbered_text(hotel_sol):
    reply = Reply("¿Qué habitación prefieres?", ROOMS)
    outbound = OutboundMessage(channel="web", recipient_id="visitor-1", text=reply,
                               interactive=reply.as_interactive())

    assert message_body(outbound)["type"] == "text"
    assert message_body(outbound)["text"]["body"] == (
        "¿Qué habitación prefieres?\n\n1. Estándar — 2 personas · 95 €/noche\n"
        "2. Doble — 2 personas · 120 €/noche\n3. Suite — 4 personas · 240 €/noche"
    )


def test_the_web_chat_answers_with_the_numbered_text_and_calls_no_graph_api(api, standard, graph_api,
                                                                            monkeypatch):
    monkeypatch.setattr("webhooks.processing.respond", lambda **kw: [Reply("¿Cual prefieres?", ROOMS)])

    response = api.post("/api/v1/messages/", {"sender": "visitor-9", "text": "q habitaciones teneis"},
                        format="json")

    assert response.json()["reply"].startswith("¿Cual prefieres?\n\n1. Estándar")
    assert graph_api.requests == []


# --- taps coming back ----------------------------------------------------------


def tap(wamid: str, **message) -> dict:
    return {"from": payloads.GUEST, "id": wamid, "timestamp": str(int(time.time())), **message}


def button_reply(wamid: str, choice_id, title) -> dict:
    return tap(wamid, type="interactive", interactive={
        "type": "button_reply", "button_reply": {"id": choice_id, "title": title}})


def list_reply(wamid: str, choice_id, title, description="") -> dict:
    return tap(wamid, type="interactive", interactive={
        "type": "list_reply", "list_reply": {"id": choice_id, "title": title, "description": description}})


def deliver(meta, *messages):
    change = payloads.change(payloads.SOL_NUMBER_ID, messages=list(messages))
    return payloads.post(meta, payloads.delivery(change))


def stored(wamid: str) -> InboundMessage:
    with scopes_disabled():
        return InboundMessage.objects.get(external_id=wamid)


@pytest.mark.parametrize("message, text, choice_id", [
    (button_reply("wamid.b1", "room:double", "Doble"), "Doble", "room:double"),
    (list_reply("wamid.l1", "room:suite", "Suite", "4 personas · 240 €/noche"), "Suite", "room:suite"),
    (tap("wamid.t1", type="button", button={"payload": "CONFIRM_BOOKING", "text": "Si, reservar"}),
     "Si, reservar", "CONFIRM_BOOKING"),
    (payloads.text("wamid.x1", "la doble porfa"), "la doble porfa", ""),
    (tap("wamid.f1", type="interactive", interactive={"type": "nfm_reply", "nfm_reply": {
        "name": "flow", "body": "Sent", "response_json": "{\"a\": 1}"}}), "", ""),
])
def test_a_tap_is_stored_as_its_title_and_read_back_as_its_id(meta, hotel_sol, no_processing, message, text,
                                                               choice_id):
    response = deliver(meta, message)

    assert response.status_code == 200
    assert response.json()["dropped"] == 0
    message = stored(message["id"])
    assert message.text == text
    assert tapped_choice_id(message) == choice_id


def test_processing_hands_the_tapped_id_to_the_agent_and_sends_its_choices(meta, hotel_sol, graph_api,
                                                                           monkeypatch):
    calls = []

    def agent(**kwargs):
        calls.append(kwargs)
        return [Reply("¿Para cuantas noches?", [Choice("n:1", "1 noche"), Choice("n:2", "2 noches")])]

    monkeypatch.setattr("webhooks.processing.respond", agent)

    assert deliver(meta, list_reply("wamid.l2", "room:double", "Doble")).status_code == 200

    [call] = calls
    assert (call["text"], call["choice_id"], call["message_type"]) == ("Doble", "room:double", "interactive")
    with scopes_disabled():
        reply = OutboundMessage.objects.get()
    assert reply.interactive == {"body": "¿Para cuantas noches?", "button": "Ver opciones", "choices": [
        {"id": "n:1", "title": "1 noche", "description": ""},
        {"id": "n:2", "title": "2 noches", "description": ""},
    ]}
    [request] = graph_api.requests
    assert request["json"]["interactive"]["type"] == "button"
    assert reply.status == "sent"


def test_a_typed_message_reaches_the_agent_without_a_choice_id(meta, hotel_sol, graph_api, monkeypatch):
    calls = []
    monkeypatch.setattr("webhooks.processing.respond", lambda **kw: calls.append(kw) or ["ok"])

    deliver(meta, payloads.text("wamid.x2", "2"))

    assert calls[0]["choice_id"] == ""
    assert graph_api.requests[0]["json"]["type"] == "text"


def test_a_real_tap_is_answered_by_the_agent(meta, hotel_sol, graph_api):
    assert deliver(meta, button_reply("wamid.b3", "room:double", "Doble")).status_code == 200

    assert stored("wamid.b3").status == InboundMessage.Status.PROCESSED
    assert len(graph_api.accepted) >= 1


@pytest.mark.parametrize("bad", [
    pytest.param(list_reply("wamid.bad", 42, "Doble"), id="id-a-number"),
    pytest.param(list_reply("wamid.bad", {"x": 1}, "Doble"), id="id-an-object"),
    pytest.param(list_reply("wamid.bad", "room\x00:double", "Doble"), id="id-with-nul"),
    pytest.param(list_reply("wamid.bad", "r" * 257, "Doble"), id="id-too-long"),
    pytest.param(list_reply("wamid.bad", "room:double", ["Doble"]), id="title-a-list"),
    pytest.param(list_reply("wamid.bad", "room:double", "Doble", 7), id="description-a-number"),
    pytest.param(button_reply("wamid.bad", True, "Doble"), id="button-id-a-bool"),
    pytest.param(tap("wamid.bad", type="button", button={"payload": 5, "text": "Si"}), id="payload-a-number"),
    pytest.param(tap("wamid.bad", type="interactive", interactive={"type": 3, "list_reply": {}}),
                 id="type-a-number"),
])
def test_a_malformed_tap_is_left_out_and_the_rest_stored(meta, hotel_sol, no_processing, stored_ids, bad):
    response = deliver(meta, payloads.text("wamid.good", "hola"), bad)

    assert response.status_code == 200
    assert response.json()["dropped"] == 1
    assert stored_ids() == ["wamid.good"]


def test_a_huge_tapped_title_is_stored_cut_and_its_id_still_read(meta, hotel_sol, no_processing):
    response = deliver(meta, list_reply("wamid.big", "room:double", "Doble " * 2000))

    assert response.status_code == 200
    message = stored("wamid.big")
    assert len(message.text) <= 4096
    assert message.text.startswith("Doble Doble")
    assert tapped_choice_id(message) == "room:double"


def test_staff_see_the_choices_a_reply_offered_and_their_ids(as_staff, hotel_sol):
    reply = Reply("¿Confirmo la reserva?", [Choice("yes", "Sí, confirmar"),
                                            Choice("no", "No <b>gracias</b>")])
    outbound = OutboundMessageFactory(inbound=InboundMessageFactory(conversation__tenant=hotel_sol),
                                      text=reply, interactive=reply.as_interactive())

    page = as_staff.get(admin_url(OutboundMessage, "change", outbound.pk)).content.decode()

    assert "1. Sí, confirmar (yes)<br>2. No &lt;b&gt;gracias&lt;/b&gt; (no)" in page
