"""Two workers rotating at once add exactly one version. Real threads, each with its
own PostgreSQL connection; SQLite serializes writers, so these are skipped there."""
import datetime
import threading
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from security.api_keys import api_key_create
from security.models import ApiKey, ManagedSecret
from security.rotation import rotate
from security.secret_store import API_KEY, WEBHOOK_SECRET, current_secret, secret_create

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL advisory locks"),
    pytest.mark.django_db(transaction=True),
]

WORKERS = 6
DAY = datetime.timedelta(days=1)


def run_together(call, times: int = WORKERS) -> list:
    barrier = threading.Barrier(times)
    outcomes: list = [None] * times

    def worker(index):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = call()
        except Exception as error:  # the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a rotation hung"
    return outcomes


def kinds(outcomes) -> Counter:
    return Counter(type(outcome).__name__ for outcome in outcomes)


def versions(name, tenant) -> list[int]:
    with scopes_disabled():
        rows = ManagedSecret.objects.filter(name=name, tenant=tenant)
        return sorted(rows.values_list("version", flat=True))


def test_workers_rotating_a_due_secret_at_once_add_one_version(tenant, caplog):
    start = timezone.now()
    secret_create(WEBHOOK_SECRET, tenant, now=start)
    connection.close()

    outcomes = run_together(lambda: rotate(WEBHOOK_SECRET, tenant, now=start + 61 * DAY))

    assert kinds(outcomes) == {"ManagedSecret": 1, "NoneType": WORKERS - 1}
    assert versions(WEBHOOK_SECRET, tenant) == [1, 2]
    # The lock decided, not the unique constraint behind it.
    assert "rotated concurrently" not in caplog.text


def test_two_admins_pressing_rotate_now_at_once_add_one_version(tenant):
    secret_create(WEBHOOK_SECRET, tenant)
    connection.close()

    outcomes = run_together(lambda: rotate(WEBHOOK_SECRET, tenant, force=True), times=2)

    assert kinds(outcomes) == {"ManagedSecret": 1, "NoneType": 1}
    assert versions(WEBHOOK_SECRET, tenant) == [1, 2]


def test_workers_rotating_api_keys_at_once_issue_one_successor(tenant, caplog):
    api_key_create(tenant=tenant, name="website")
    connection.close()

    outcomes = run_together(lambda: rotate(API_KEY, tenant, now=timezone.now() + 31 * DAY))

    assert kinds(outcomes) == {"ManagedSecret": 1, "NoneType": WORKERS - 1}
    with scopes_disabled():
        assert ApiKey.objects.filter(tenant=tenant).count() == 2
    assert "rotated concurrently" not in caplog.text


def test_first_uses_at_once_agree_on_one_secret(tenant):
    outcomes = run_together(lambda: current_secret(WEBHOOK_SECRET, tenant).value)

    assert len(set(outcomes)) == 1 and isinstance(outcomes[0], str)
    assert versions(WEBHOOK_SECRET, tenant) == [1]
