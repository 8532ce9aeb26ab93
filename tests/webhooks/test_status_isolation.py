"""A delivery status only ever concerns the replies of the number that received
it: one arriving on Hotel Sol's number cannot touch Harbor Inn's messages."""
import time

import pytest
from django_scopes import scopes_disabled

from security.models import AuditEvent
from tests.factories import OutboundMessageFactory
from webhooks.models import OutboundMessage

from . import payloads

pytestmark = pytest.mark.django_db

HARBOR_WAMID = "wamid.harbor.out.1"
ERRORS = [{"code": 131047, "title": "Re-engagement message", "message": "Re-engagement message"}]


@pytest.fixture
def harbor_reply(other_tenant, harbor_number):
    return OutboundMessageFactory(
        inbound__conversation__tenant=other_tenant, inbound__account_external_id=payloads.HARBOR_NUMBER_ID,
        external_id=HARBOR_WAMID, status="sent",
    )


def failed_on(number_id: str, wamid: str = HARBOR_WAMID) -> dict:
    return payloads.delivery(payloads.change(number_id, statuses=[
        payloads.status(wamid, "failed", timestamp=int(time.time()) + 60, errors=ERRORS),
    ]))


def reloaded(reply: OutboundMessage) -> OutboundMessage:
    with scopes_disabled():
        return OutboundMessage.objects.get(pk=reply.pk)


def suspicious() -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(event_type=AuditEvent.Type.SUSPICIOUS_ACTIVITY))


def test_a_status_on_another_hotels_number_leaves_the_reply_alone(meta, sol_number, harbor_reply):
    response = payloads.post(meta, failed_on(payloads.SOL_NUMBER_ID))

    assert response.status_code == 200
    reply = reloaded(harbor_reply)
    assert reply.status == OutboundMessage.Status.SENT
    assert reply.error == {}
    assert reply.status_at is None


def test_a_status_on_another_hotels_number_is_audited_as_suspicious(meta, sol_number, harbor_reply):
    payloads.post(meta, failed_on(payloads.SOL_NUMBER_ID), REMOTE_ADDR="198.51.100.30")

    [event] = suspicious()
    assert event.action == "webhook_status_foreign_account"
    assert event.ip_address == "198.51.100.30"
    assert event.details == {"receiving_account": payloads.SOL_NUMBER_ID, "message_id": HARBOR_WAMID,
                             "status": "failed"}


def test_the_same_status_on_the_hotels_own_number_is_applied(meta, sol_number, harbor_reply):
    response = payloads.post(meta, failed_on(payloads.HARBOR_NUMBER_ID))

    assert response.status_code == 200
    reply = reloaded(harbor_reply)
    assert reply.status == OutboundMessage.Status.FAILED
    assert reply.error["errors"][0]["code"] == 131047
    assert suspicious() == []


def test_in_one_delivery_each_number_changes_only_its_own_replies(meta, sol_number, harbor_reply, tenant):
    sol_reply = OutboundMessageFactory(inbound__conversation__tenant=tenant, external_id="wamid.sol.out.1",
                                       account_external_id=payloads.SOL_NUMBER_ID)
    now = int(time.time())
    delivery = payloads.delivery(
        payloads.change(payloads.SOL_NUMBER_ID, statuses=[
            payloads.status("wamid.sol.out.1", "read", timestamp=now),
            payloads.status(HARBOR_WAMID, "failed", timestamp=now, errors=ERRORS),
        ]),
        payloads.change(payloads.HARBOR_NUMBER_ID, statuses=[
            payloads.status(HARBOR_WAMID, "delivered", timestamp=now),
        ]),
    )

    payloads.post(meta, delivery)

    assert reloaded(sol_reply).status == OutboundMessage.Status.READ
    assert reloaded(harbor_reply).status == OutboundMessage.Status.DELIVERED
    assert [event.action for event in suspicious()] == ["webhook_status_foreign_account"]


def test_a_status_for_a_wamid_nobody_sent_is_ignored_quietly(meta, sol_number, harbor_reply):
    response = payloads.post(meta, failed_on(payloads.SOL_NUMBER_ID, wamid="wamid.unknown"))

    assert response.status_code == 200
    assert reloaded(harbor_reply).status == OutboundMessage.Status.SENT
    assert suspicious() == []


def test_a_status_on_an_unknown_number_cannot_reach_a_hotels_reply(meta, harbor_reply):
    payloads.post(meta, failed_on("999999999999999"))

    assert reloaded(harbor_reply).status == OutboundMessage.Status.SENT
    assert [event.action for event in suspicious()] == ["webhook_status_foreign_account"]


def test_a_web_chat_reply_with_the_same_id_is_not_a_whatsapp_reply(meta, harbor_reply, other_tenant):
    web = OutboundMessageFactory(
        inbound__conversation__tenant=other_tenant, inbound__conversation__channel="web",
        external_id="wamid.web.1", account_external_id=payloads.SOL_NUMBER_ID,
    )

    payloads.post(meta, failed_on(payloads.SOL_NUMBER_ID, wamid="wamid.web.1"))

    assert reloaded(web).status == OutboundMessage.Status.SENT
