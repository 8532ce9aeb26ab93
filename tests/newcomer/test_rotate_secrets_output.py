"""`rotate_secrets` names what it rotated and never prints a value, not even through
the console email backend that development uses."""
import re
import stat

import pytest
from django.core.management import call_command
from django.test import override_settings

from security.api_keys import api_key_create
from security.secret_store import WEBHOOK_SECRET, current_secret, secret_create
from tenants.models import TenantMembership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

RAW_API_KEY = re.compile(r"ha_[0-9a-f]{8}_[-\w]{20,}")


@pytest.fixture
def console_email(tmp_path):
    """The email settings a developer has: Django's console backend."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
                           EMAIL_FILE_PATH=str(tmp_path / "emails")):
        yield tmp_path / "emails"


@pytest.fixture
def manager(tenant):
    return MembershipFactory(tenant=tenant, role=TenantMembership.Role.MANAGER,
                             user__email="ana@hotel.example")


@pytest.fixture
def rotate_secrets(capsys, caplog, django_capture_on_commit_callbacks):
    """Everything the command and the emails it sends after commit show on the console."""
    def rotate_secrets(*args: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("rotate_secrets", *args)
        captured = capsys.readouterr()
        return captured.out + captured.err + caplog.text

    return rotate_secrets


def test_a_new_webhook_secret_is_not_printed(tenant, manager, console_email, rotate_secrets):
    secret_create(WEBHOOK_SECRET, tenant)

    output = rotate_secrets("--force", WEBHOOK_SECRET, "--tenant", tenant.slug)

    new_secret = current_secret(WEBHOOK_SECRET, tenant).value
    assert "Hotel Sol: webhook_secret is now version 2." in output
    assert new_secret not in output


def test_new_api_keys_are_not_printed(tenant, manager, console_email, rotate_secrets):
    api_key_create(tenant=tenant, name="website")

    output = rotate_secrets("--force", "api_key", "--tenant", tenant.slug)

    assert "Hotel Sol: api_key is now version 1." in output
    assert not RAW_API_KEY.search(output)


def test_the_managers_message_is_kept_where_only_you_can_read_it(tenant, manager, console_email,
                                                                rotate_secrets):
    api_key_create(tenant=tenant, name="website")

    output = rotate_secrets("--force", "api_key", "--tenant", tenant.slug)

    [message] = console_email.iterdir()
    assert RAW_API_KEY.search(message.read_text())
    assert "ana@hotel.example" in message.read_text()
    assert stat.S_IMODE(console_email.stat().st_mode) == 0o700
    assert str(console_email) in output
