"""The apps' layers hold (hotelagent, webhooks, reservations, security, tenants: each
imports only from those below it), and tenants' admin screens still reach the
audit trail, which sits above them, through a signal in the admin's transaction."""
import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

from security.models import AuditEvent
from tenants.models import ChannelAccount, TenantMembership
from tenants.signals import admin_object_changed
from tests.admin.pages import admin_url
from tests.factories import ChannelAccountFactory, MembershipFactory

LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(LINT_IMPORTS is None, reason="import-linter is a dev dependency: pip install -e '.[dev]'")
def test_no_app_imports_a_layer_above_its_own():
    result = subprocess.run([LINT_IMPORTS], cwd=settings.BASE_DIR, capture_output=True, text=True,  # noqa: S603
                            check=False)

    assert result.returncode == 0, result.stdout


@pytest.fixture
def as_manager(client, tenant):
    client.force_login(MembershipFactory(tenant=tenant, role=TenantMembership.Role.MANAGER).user)
    return client


def modifications():
    with scopes_disabled():
        return list(AuditEvent.objects.filter(event_type=AuditEvent.Type.DATA_MODIFICATION))


def test_security_listens_to_the_admins_of_tenants():
    assert admin_object_changed.has_listeners()


@pytest.mark.django_db
def test_a_change_whose_audit_event_cannot_be_written_is_not_saved(as_manager, tenant):
    account = ChannelAccountFactory(tenant=tenant, external_id="100000000000001")

    with mock.patch("security.audit.chain.append", side_effect=RuntimeError("audit down")), \
            pytest.raises(RuntimeError):
        as_manager.post(admin_url(ChannelAccount, "change", account.pk), {
            "tenant": tenant.pk, "channel": account.channel, "external_id": "100000000000002",
        })

    account.refresh_from_db()
    assert account.external_id == "100000000000001"
    assert modifications() == []


@pytest.mark.django_db(transaction=True)
def test_the_audit_event_commits_with_the_change(as_manager, tenant):
    account = ChannelAccountFactory(tenant=tenant, external_id="100000000000001")

    response = as_manager.post(admin_url(ChannelAccount, "change", account.pk), {
        "tenant": tenant.pk, "channel": account.channel, "external_id": "100000000000002",
    })

    assert response.status_code == 302
    [event] = modifications()
    assert (event.action, event.tenant, event.resource, event.details) == (
        "admin_change", tenant, f"tenants.channelaccount:{account.pk}",
        {"action": "change", "changed": ["external_id"]},
    )
