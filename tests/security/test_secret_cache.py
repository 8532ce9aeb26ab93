"""Reads are cached per process; a rotation (the secret_rotated signal) drops them."""
import pytest
from django.utils import timezone

from security.models import ManagedSecret
from security.secret_store import (
    JWT_SECRET,
    WEBHOOK_SECRET,
    current_secret,
    encrypt,
    secret_create,
    secret_rotate,
    secret_rotated,
    valid_secrets,
)

# Outside a transaction, as requests are: reads inside one are never cached.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    from security import secret_store

    secret_store._cache.clear()
    yield
    secret_store._cache.clear()


def test_a_cached_secret_is_read_without_a_query(tenant, django_assert_num_queries):
    secret_create(WEBHOOK_SECRET, tenant)
    current_secret(WEBHOOK_SECRET, tenant)

    with django_assert_num_queries(0):
        current_secret(WEBHOOK_SECRET, tenant)


def test_the_rotation_signal_drops_the_cached_versions(tenant, django_assert_num_queries):
    secret_create(JWT_SECRET, tenant)
    current_secret(JWT_SECRET, tenant)

    secret_rotated.send(sender=ManagedSecret, name=JWT_SECRET, tenant=tenant, version=2)

    with django_assert_num_queries(1):
        current_secret(JWT_SECRET, tenant)


def test_a_rotation_is_seen_at_once_by_the_process_that_rotated(tenant):
    secret_create(WEBHOOK_SECRET, tenant)
    before = current_secret(WEBHOOK_SECRET, tenant)

    secret_rotate(WEBHOOK_SECRET, tenant)

    assert current_secret(WEBHOOK_SECRET, tenant).version == before.version + 1


def test_a_verifier_can_refresh_to_see_another_process_rotation(tenant):
    secret_create(WEBHOOK_SECRET, tenant)
    current_secret(WEBHOOK_SECRET, tenant)
    # Another process rotates: the row appears, but this process gets no signal.
    ManagedSecret.objects.create(name=WEBHOOK_SECRET, tenant=tenant, version=2,
                                 encrypted_value=encrypt("rotated elsewhere"), activated_at=timezone.now())

    assert [s.version for s in valid_secrets(WEBHOOK_SECRET, tenant)] == [1]
    assert [s.version for s in valid_secrets(WEBHOOK_SECRET, tenant, refresh=True)] == [2, 1]
