"""`seed_demo` prints passwords and keys when it creates them, and later only when asked."""

import pytest

pytestmark = pytest.mark.django_db


def saved_secrets(credentials_file) -> list[str]:
    return [line.rpartition(": ")[2] for line in credentials_file.read_text().splitlines()
            if not line.startswith("#")]


def test_the_first_run_prints_every_credential_it_creates(seed_demo, credentials_file):
    first = seed_demo()

    secrets = saved_secrets(credentials_file)
    assert len(secrets) == 5  # three passwords, two API keys
    assert all(secret in first for secret in secrets)


def test_a_rerun_prints_no_password_or_key(seed_demo, credentials_file):
    seed_demo()

    again = seed_demo()

    assert not [secret for secret in saved_secrets(credentials_file) if secret in again]
    assert "--show-credentials" in again
    assert str(credentials_file) in again


def test_a_rerun_with_show_credentials_prints_them_all(seed_demo, credentials_file):
    seed_demo()

    again = seed_demo("--show-credentials")

    assert all(secret in again for secret in saved_secrets(credentials_file))
