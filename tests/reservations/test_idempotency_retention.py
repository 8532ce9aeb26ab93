import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from reservations.models import IdempotentRequest
from reservations.tasks import purge_idempotency_keys

pytestmark = pytest.mark.django_db


def test_old_idempotency_answers_are_forgotten_recent_ones_kept(tenant, settings):
    settings.IDEMPOTENCY_KEY_RETENTION_HOURS = 72
    with scopes_disabled():
        old = IdempotentRequest.objects.create(tenant=tenant, key="old", fingerprint="f", response_status=201)
        IdempotentRequest.objects.create(tenant=tenant, key="new", fingerprint="f", response_status=201)
        IdempotentRequest.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=73)
        )

    assert purge_idempotency_keys.apply().get() == 1

    with scopes_disabled():
        assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]
