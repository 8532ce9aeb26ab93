"""The website chat may sign its messages with the hotel's webhook secret instead of
sending the API key: `X-Signature-256: sha256=<hex HMAC>` plus `X-Tenant: <slug>`."""
import datetime
import hashlib
import hmac
import json

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from security.models import AuditEvent
from security.rotation import rotate
from security.secret_store import WEBHOOK_SECRET, current_secret, secret_create
from security.webhook_signing import sign_payload, signing_version
from tenants.models import TenantMembership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

BODY = json.dumps({"sender": "visitor-1", "text": "Hola"}).encode()


def hmac_hex(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(body: bytes = BODY, **headers):
    return Client().post("/api/v1/messages/", body, content_type="application/json", **headers)


def signed(tenant, body: bytes = BODY, secret: str | None = None):
    secret = secret or current_secret(WEBHOOK_SECRET, tenant).value
    return post(body, HTTP_X_SIGNATURE_256=hmac_hex(secret, body), HTTP_X_TENANT=tenant.slug)


def auth_failures():
    with scopes_disabled():
        return list(AuditEvent.objects.filter(event_type="AUTH_FAILURE", action="signature_authentication"))


def test_a_signed_message_gets_the_agents_reply(tenant, standard):
    response = signed(tenant)

    assert response.status_code == 200
    assert response.json()["reply"]


def test_a_wrong_signature_is_refused_and_audited(tenant, standard):
    current_secret(WEBHOOK_SECRET, tenant)

    response = signed(tenant, secret="not the hotel's secret")

    assert response.status_code == 401
    [failure] = auth_failures()
    assert (failure.tenant, failure.details["reason"]) == (tenant, "invalid_signature")


def test_a_signature_of_another_body_is_refused(tenant, standard):
    secret = current_secret(WEBHOOK_SECRET, tenant).value

    response = post(BODY, HTTP_X_SIGNATURE_256=hmac_hex(secret, b"{}"), HTTP_X_TENANT=tenant.slug)

    assert response.status_code == 401


def test_another_hotels_secret_does_not_sign_for_this_one(tenant, other_tenant, standard):
    theirs = current_secret(WEBHOOK_SECRET, other_tenant).value

    response = post(BODY, HTTP_X_SIGNATURE_256=hmac_hex(theirs, BODY), HTTP_X_TENANT=tenant.slug)

    assert response.status_code == 401


@pytest.mark.parametrize("slug", ["", "nowhere", "bad\x00slug", "x" * 300])
def test_a_signature_needs_a_known_hotel(tenant, slug):
    response = post(BODY, HTTP_X_SIGNATURE_256=hmac_hex("whatever", BODY), HTTP_X_TENANT=slug)

    assert response.status_code == 401
    assert auth_failures()[0].details["reason"] == "unknown_tenant"


@pytest.mark.parametrize("header", ["", "sha1=abc", "sha256=", "sha256=zz\u00e9"])
def test_malformed_signatures_are_refused(tenant, header):
    current_secret(WEBHOOK_SECRET, tenant)

    assert post(BODY, HTTP_X_SIGNATURE_256=header, HTTP_X_TENANT=tenant.slug).status_code == 401


def test_the_api_key_still_works_without_a_signature(api, standard):
    assert api.post("/api/v1/messages/", {"sender": "v", "text": "Hola"}, format="json").status_code == 200


def test_the_previous_secret_still_signs_right_after_a_rotation(tenant, standard):
    old = current_secret(WEBHOOK_SECRET, tenant).value
    rotate(WEBHOOK_SECRET, tenant, force=True)

    assert signed(tenant, secret=old).status_code == 200
    assert signed(tenant).status_code == 200


def test_both_secrets_verify_for_24_hours_then_only_the_new_one(tenant):
    start = timezone.now()
    secret_create(WEBHOOK_SECRET, tenant, now=start)
    old = current_secret(WEBHOOK_SECRET, tenant).value
    rotate(WEBHOOK_SECRET, tenant, force=True, now=start)
    new = current_secret(WEBHOOK_SECRET, tenant).value
    hour = datetime.timedelta(hours=1)

    assert signing_version(tenant, BODY, hmac_hex(old, BODY), now=start + 23 * hour) == 1
    assert signing_version(tenant, BODY, hmac_hex(old, BODY), now=start + 24 * hour) is None
    assert signing_version(tenant, BODY, hmac_hex(new, BODY), now=start + 24 * hour) == 2


def test_sign_payload_signs_with_the_current_secret(tenant):
    rotate(WEBHOOK_SECRET, tenant, force=True)
    rotate(WEBHOOK_SECRET, tenant, force=True)
    body = b'{"event": "reservation.cancelled"}'

    signature = sign_payload(tenant, body)

    assert signature == hmac_hex(current_secret(WEBHOOK_SECRET, tenant).value, body)
    assert signing_version(tenant, body, signature) == 2


def test_managers_receive_each_new_webhook_secret(tenant, django_capture_on_commit_callbacks):
    MembershipFactory(tenant=tenant, role=TenantMembership.Role.MANAGER, user__email="ana@hotel.example")

    with django_capture_on_commit_callbacks(execute=True):
        secret_create(WEBHOOK_SECRET, tenant)
        rotate(WEBHOOK_SECRET, tenant, force=True)

    first, second = mail.outbox
    assert current_secret(WEBHOOK_SECRET, tenant).value in second.body
    assert "X-Tenant: hotel-sol" in second.body
    assert "24 horas" in second.body and "24 horas" not in first.body
