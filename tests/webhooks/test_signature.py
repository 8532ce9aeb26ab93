import pytest
from django_scopes import scopes_disabled

from security.models import AuditEvent
from webhooks.models import InboundMessage

from . import payloads

pytestmark = pytest.mark.django_db

DELIVERY = payloads.delivery(
    payloads.change(payloads.SOL_NUMBER_ID, messages=[payloads.text("wamid.1", "Hola")])
)


def stored_messages() -> int:
    with scopes_disabled():
        return InboundMessage.objects.count()


def suspicious_events():
    with scopes_disabled():
        return list(AuditEvent.objects.filter(event_type="SUSPICIOUS_ACTIVITY"))


def test_missing_signature_is_401_audited_and_stores_nothing(meta):
    body, _ = payloads.signed(DELIVERY)

    response = meta.post("/webhooks/whatsapp/", data=body, content_type="application/json",
                         REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 401
    assert stored_messages() == 0
    [event] = suspicious_events()
    assert event.ip_address == "203.0.113.7"
    assert event.action == "webhook_signature_missing"


def test_wrong_signature_is_403_audited_and_stores_nothing(meta):
    response = payloads.post(meta, DELIVERY, secret="not-the-app-secret", REMOTE_ADDR="203.0.113.8")

    assert response.status_code == 403
    assert stored_messages() == 0
    [event] = suspicious_events()
    assert event.ip_address == "203.0.113.8"
    assert "test-app-secret" not in str(event.details)


def test_signature_over_other_bytes_is_refused(meta):
    body, signature = payloads.signed(DELIVERY)

    response = meta.post("/webhooks/whatsapp/", data=body + b" ", content_type="application/json",
                         HTTP_X_HUB_SIGNATURE_256=signature)

    assert response.status_code == 403


def test_signed_garbage_is_400(meta):
    assert payloads.post(meta, b"{not json").status_code == 400
    assert payloads.post(meta, {"object": "page", "entry": []}).status_code == 400
    assert payloads.post(meta, {"object": "whatsapp_business_account", "entry": "x"}).status_code == 400
    assert stored_messages() == 0


def test_an_address_that_keeps_forging_gets_429(meta, settings):
    settings.INBOUND_MESSAGES_PER_MINUTE = 3

    codes = [
        payloads.post(meta, DELIVERY, secret="forged", REMOTE_ADDR="198.51.100.9").status_code
        for _ in range(5)
    ]

    assert codes == [403, 403, 403, 429, 429]
    assert len(suspicious_events()) == 3


def test_body_over_three_megabytes_is_refused(meta):
    huge = b'{"object": "whatsapp_business_account", "entry": [], "pad": "' + b"x" * (3 * 1024 * 1024) + b'"}'

    assert payloads.post(meta, huge).status_code == 400
