import time

import pytest
from django_scopes import scopes_disabled

from tenants.models import GuestIdentifier
from tests.factories import TenantFactory
from webhooks.models import Conversation, InboundMessage, OutboundMessage

from . import payloads

pytestmark = pytest.mark.django_db


def inbound(**filters):
    with scopes_disabled():
        return list(InboundMessage.objects.filter(**filters).select_related("tenant"))


def test_text_message_is_stored_answered_and_sent(meta, hotel_sol, graph_api):
    delivery = payloads.delivery(payloads.change(
        payloads.SOL_NUMBER_ID, messages=[payloads.text("wamid.HBgL1", "Hola, buenos días")]
    ))

    response = payloads.post(meta, delivery)

    assert response.status_code == 200
    [message] = inbound()
    assert message.tenant == hotel_sol
    assert message.sender_phone == "+34612345678"
    assert message.sender_name == "Ana"
    assert message.status == InboundMessage.Status.PROCESSED
    [request] = graph_api.requests
    assert request["path"] == f"/v21.0/{payloads.SOL_NUMBER_ID}/messages"
    assert request["authorization"] == "Bearer graph-token"
    assert request["json"]["to"] == payloads.GUEST
    with scopes_disabled():
        reply = OutboundMessage.objects.get()
    assert reply.status == OutboundMessage.Status.SENT
    assert reply.external_id == "wamid.out.1"


def test_batched_entries_and_messages_are_all_stored(meta, hotel_sol, graph_api):
    delivery = payloads.delivery(
        payloads.change(payloads.SOL_NUMBER_ID, messages=[
            payloads.text("wamid.a", "Hola"), payloads.text("wamid.b", "¿Tienen habitación?"),
        ]),
        payloads.change(payloads.SOL_NUMBER_ID, sender="447700900123", messages=[
            payloads.text("wamid.c", "Hello", sender="447700900123"),
        ]),
    )

    response = payloads.post(meta, delivery)

    assert response.status_code == 200
    assert sorted(m.external_id for m in inbound()) == ["wamid.a", "wamid.b", "wamid.c"]
    assert len(graph_api.requests) >= 3


def test_redelivery_stores_nothing_new_and_sends_no_second_reply(meta, hotel_sol, graph_api):
    delivery = payloads.delivery(payloads.change(
        payloads.SOL_NUMBER_ID, messages=[payloads.text("wamid.dup", "Hola")]
    ))

    first = payloads.post(meta, delivery)
    second = payloads.post(meta, delivery)

    assert first.status_code == second.status_code == 200
    assert len(inbound()) == 1
    assert len(graph_api.requests) == 1


def test_unknown_number_goes_to_the_default_tenant(meta, db, graph_api):
    delivery = payloads.delivery(payloads.change(
        "999999999999999", messages=[payloads.text("wamid.lost", "Hello")]
    ))

    assert payloads.post(meta, delivery).status_code == 200

    [message] = inbound()
    assert message.tenant.slug == "default"
    assert message.channel_account_id is None
    assert message.account_external_id == "999999999999999"


def test_registered_guest_on_unknown_number_goes_to_their_hotel(meta, tenant, graph_api):
    with scopes_disabled():
        GuestIdentifier.objects.create(tenant=tenant, kind="phone", value="+34612345678")
    delivery = payloads.delivery(payloads.change(
        "999999999999999", messages=[payloads.text("wamid.known", "Hola")]
    ))

    payloads.post(meta, delivery)

    assert inbound()[0].tenant == tenant


def test_inactive_hotel_stores_but_does_not_answer(meta, hotel_sol, graph_api):
    hotel_sol.is_active = False
    hotel_sol.save()
    delivery = payloads.delivery(payloads.change(
        payloads.SOL_NUMBER_ID, messages=[payloads.text("wamid.closed", "Hola")]
    ))

    assert payloads.post(meta, delivery).status_code == 200

    assert inbound()[0].status == InboundMessage.Status.IGNORED
    assert graph_api.requests == []


def test_image_is_stored_and_its_caption_read_as_text(meta, hotel_sol, graph_api):
    delivery = payloads.delivery(
        payloads.change(payloads.SOL_NUMBER_ID, messages=[payloads.image("wamid.img")])
    )

    assert payloads.post(meta, delivery).status_code == 200

    [message] = inbound()
    assert message.message_type == "image"
    assert message.payload["image"]["id"] == "1479537139650973"
    assert message.text == "la habitación"
    assert "solo entiendo mensajes de texto" not in graph_api.sent_texts[0]


def test_opaque_sender_id_is_kept_without_inventing_a_phone(meta, hotel_sol, graph_api):
    delivery = payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, sender="BSUID.abc123", messages=[
        payloads.text("wamid.opaque", "Hola", sender="BSUID.abc123"),
    ]))

    payloads.post(meta, delivery)

    [message] = inbound()
    assert message.sender_id == "BSUID.abc123"
    assert message.sender_phone == ""


def test_statuses_keep_the_latest_even_out_of_order(meta, hotel_sol, graph_api):
    payloads.post(meta, payloads.delivery(payloads.change(
        payloads.SOL_NUMBER_ID, messages=[payloads.text("wamid.q", "Hola")]
    )))
    now = int(time.time())

    payloads.post(meta, payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, statuses=[
        payloads.status("wamid.out.1", "read", timestamp=now + 20),
        payloads.status("wamid.out.1", "delivered", timestamp=now + 10),
        payloads.status("wamid.out.1", "sent", timestamp=now + 5),
    ])))

    with scopes_disabled():
        assert OutboundMessage.objects.get().status == OutboundMessage.Status.READ


def test_failed_status_keeps_meta_errors(meta, hotel_sol, graph_api):
    payloads.post(meta, payloads.delivery(payloads.change(
        payloads.SOL_NUMBER_ID, messages=[payloads.text("wamid.f", "Hola")]
    )))
    errors = [{"code": 131047, "title": "Re-engagement message", "message": "Re-engagement message"}]

    payloads.post(meta, payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, statuses=[
        payloads.status("wamid.out.1", "failed", timestamp=int(time.time()) + 30, errors=errors),
    ])))

    with scopes_disabled():
        reply = OutboundMessage.objects.get()
    assert reply.status == OutboundMessage.Status.FAILED
    assert reply.error["errors"][0]["code"] == 131047


def test_conversation_remembers_the_guest(meta, hotel_sol, graph_api):
    for n, text in enumerate(["Hola", "Gracias"]):
        payloads.post(meta, payloads.delivery(payloads.change(
            payloads.SOL_NUMBER_ID, messages=[payloads.text(f"wamid.c{n}", text)]
        )))

    with scopes_disabled():
        [conversation] = Conversation.objects.all()
        assert conversation.inbound.count() == 2
    assert conversation.guest_id == payloads.GUEST


def test_each_hotel_gets_only_its_own_messages(meta, hotel_sol, graph_api):
    from tests.factories import ChannelAccountFactory

    harbor = TenantFactory(slug="harbor", language="en", country="US", currency="USD")
    ChannelAccountFactory(tenant=harbor, external_id=payloads.HARBOR_NUMBER_ID)

    payloads.post(meta, payloads.delivery(
        payloads.change(payloads.SOL_NUMBER_ID, messages=[payloads.text("wamid.s", "Hola")]),
        payloads.change(payloads.HARBOR_NUMBER_ID, messages=[payloads.text("wamid.h", "Hi")]),
    ))

    assert {m.external_id: m.tenant.slug for m in inbound()} == {"wamid.s": "hotel-sol", "wamid.h": "harbor"}
