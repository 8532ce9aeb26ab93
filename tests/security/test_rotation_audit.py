"""Every rotation leaves a SECRET_ROTATED event naming the secret and version, never the value."""
import json

import pytest
from django_scopes import scopes_disabled

from security.models import AuditEvent
from security.rotation import rotate
from security.secret_store import JWT_SECRET, WEBHOOK_SECRET, current_secret, secret_create

pytestmark = pytest.mark.django_db


def rotation_events():
    with scopes_disabled():
        return list(AuditEvent.objects.filter(event_type=AuditEvent.Type.SECRET_ROTATED).order_by("id"))


def test_a_rotation_is_audited_with_name_and_version(tenant):
    secret_create(WEBHOOK_SECRET, tenant)

    rotate(WEBHOOK_SECRET, tenant, force=True, actor="user:7")

    created, rotated = rotation_events()
    assert (created.action, created.details["version"]) == ("secret_created", 1)
    assert (rotated.tenant, rotated.action, rotated.actor, rotated.resource) == (
        tenant, "secret_rotated", "user:7", "secret:webhook_secret"
    )
    assert (rotated.details["name"], rotated.details["version"], rotated.details["previous_version"]) == (
        WEBHOOK_SECRET, 2, 1
    )


@pytest.mark.parametrize("name", [WEBHOOK_SECRET, JWT_SECRET])
def test_the_audit_trail_never_holds_a_value(tenant, name):
    first = current_secret(name, tenant).value
    rotate(name, tenant, force=True)
    second = current_secret(name, tenant).value

    for event in rotation_events():
        recorded = json.dumps([event.details, event.resource, event.action, event.actor])
        assert first not in recorded and second not in recorded


def test_a_skipped_rotation_is_not_audited(tenant):
    secret_create(WEBHOOK_SECRET, tenant)

    assert rotate(WEBHOOK_SECRET, tenant) is None  # not due
    assert len(rotation_events()) == 1
