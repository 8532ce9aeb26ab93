"""The encrypted store: values exist in plaintext only in memory."""
import datetime

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_scopes import scopes_disabled

from security import secret_store
from security.models import ManagedSecret
from security.secret_store import (
    WEBHOOK_SECRET,
    current_secret,
    decrypt,
    development_key,
    secret_create,
    secret_rotate,
    valid_secrets,
)

pytestmark = pytest.mark.django_db


def stored_ciphertexts() -> list[str]:
    """The encrypted_value column as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT encrypted_value FROM security_managedsecret ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_values_are_never_stored_in_plaintext(tenant):
    value = current_secret(WEBHOOK_SECRET, tenant).value

    [ciphertext] = stored_ciphertexts()
    assert value not in ciphertext
    assert decrypt(ciphertext) == value


def test_the_first_use_makes_version_one_and_later_uses_read_it(tenant):
    first = current_secret(WEBHOOK_SECRET, tenant)

    assert first.version == 1
    assert current_secret(WEBHOOK_SECRET, tenant) == first
    with scopes_disabled():
        assert ManagedSecret.objects.count() == 1


def test_each_hotel_has_its_own_secret(tenant, other_tenant):
    assert current_secret(WEBHOOK_SECRET, tenant).value != current_secret(WEBHOOK_SECRET, other_tenant).value


def test_a_secret_repr_never_shows_the_value(tenant):
    secret = current_secret(WEBHOOK_SECRET, tenant)

    assert secret.value not in repr(secret)


def test_reencrypting_under_a_new_first_key_changes_ciphertexts_and_keeps_values(tenant, capsys):
    value = current_secret(WEBHOOK_SECRET, tenant).value
    [before] = stored_ciphertexts()
    new_key = Fernet.generate_key().decode()

    with override_settings(SECRETS_ENCRYPTION_KEYS=[new_key, development_key(settings.SECRET_KEY)]):
        call_command("reencrypt_secrets")
    [after] = stored_ciphertexts()

    assert after != before
    assert "Re-encrypted 1 secret version(s)" in capsys.readouterr().out
    with override_settings(SECRETS_ENCRYPTION_KEYS=[new_key]):  # the old key is gone now
        assert current_secret(WEBHOOK_SECRET, tenant).value == value


def test_a_value_under_a_dropped_key_is_unreadable(tenant):
    current_secret(WEBHOOK_SECRET, tenant)

    with (
        override_settings(SECRETS_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(InvalidToken),
    ):
        current_secret(WEBHOOK_SECRET, tenant)


def test_a_malformed_key_setting_is_reported_as_configuration(db):
    with (
        override_settings(SECRETS_ENCRYPTION_KEYS=["not-a-fernet-key"]),
        pytest.raises(ImproperlyConfigured, match="SECRETS_ENCRYPTION_KEYS"),
    ):
        secret_store.encrypt("x")


def test_the_development_key_is_derived_from_secret_key():
    assert development_key("a" * 50) == development_key("a" * 50)
    assert development_key("a" * 50) != development_key("b" * 50)
    Fernet(development_key("a" * 50))  # a valid Fernet key


def test_a_rotation_keeps_the_replaced_version_valid_for_the_overlap(tenant):
    now = timezone.now()
    secret_create(WEBHOOK_SECRET, tenant, now=now)
    secret_rotate(WEBHOOK_SECRET, tenant, now=now)

    assert [s.version for s in valid_secrets(WEBHOOK_SECRET, tenant, now=now)] == [2, 1]
    assert current_secret(WEBHOOK_SECRET, tenant).version == 2


def test_names_we_do_not_issue_are_stored_with_their_value_and_replaced_without_overlap(tenant):
    secret_create("pms_webservice_key", tenant, value="QLO-KEY-1")
    with pytest.raises(ValueError, match="give its value"):
        secret_rotate("pms_webservice_key", tenant)
    secret_rotate("pms_webservice_key", tenant, value="QLO-KEY-2")

    assert [s.value for s in valid_secrets("pms_webservice_key", tenant)] == ["QLO-KEY-2"]
    much_later = timezone.now() + datetime.timedelta(days=999)
    assert not secret_store.is_due("pms_webservice_key", tenant, now=much_later)
