"""When each secret is due: the seed guide's periods, judged at an injected `now`."""
import datetime

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_scopes import scopes_disabled

from reservations import rules
from security.api_keys import api_key_create
from security.models import ManagedSecret
from security.rotation import rotate_due, rotate_due_secrets
from security.secret_store import API_KEY, JWT_SECRET, POLICIES, WEBHOOK_SECRET, is_due, secret_create

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)


def versions(name, tenant) -> list[int]:
    with scopes_disabled():
        return list(ManagedSecret.objects.filter(name=name, tenant=tenant).values_list("version", flat=True))


def test_the_policy_table_holds_the_seed_guide_periods():
    assert {name: (policy.period.days, policy.overlap) for name, policy in POLICIES.items()} == {
        API_KEY: (30, 7 * DAY),
        WEBHOOK_SECRET: (60, DAY),
        JWT_SECRET: (90, POLICIES[JWT_SECRET].overlap),
    }


def test_an_old_jwt_secret_verifies_as_long_as_the_longest_guest_link_lives():
    longest_link = (rules.MAX_BOOKING_ADVANCE_DAYS + rules.MAX_NIGHTS + 1) * DAY

    assert POLICIES[JWT_SECRET].overlap >= longest_link


@pytest.mark.parametrize("name, days", [(WEBHOOK_SECRET, 60), (JWT_SECRET, 90)])
def test_a_secret_is_due_once_its_period_has_passed(tenant, name, days):
    start = timezone.now()
    secret_create(name, tenant, now=start)

    assert not is_due(name, tenant, now=start + days * DAY - SECOND)
    assert is_due(name, tenant, now=start + days * DAY)


def test_a_secret_that_does_not_exist_yet_is_due(tenant):
    assert is_due(WEBHOOK_SECRET, tenant)


def test_api_keys_are_due_thirty_days_after_the_oldest_key_in_service(tenant):
    api_key_create(tenant=tenant, name="website")
    created = timezone.now()

    assert not is_due(API_KEY, tenant, now=created + 29 * DAY)
    assert is_due(API_KEY, tenant, now=created + 30 * DAY + SECOND)


def test_a_hotel_without_api_keys_has_none_due(tenant):
    assert not is_due(API_KEY, tenant, now=timezone.now() + 365 * DAY)


def test_the_hourly_run_rotates_only_what_is_due(tenant):
    start = timezone.now()
    secret_create(WEBHOOK_SECRET, tenant, now=start)
    secret_create(JWT_SECRET, tenant, now=start)

    rotated = rotate_due(now=start + 61 * DAY, tenants=[tenant])

    assert [(version.name, version.version) for version in rotated] == [(WEBHOOK_SECRET, 2)]
    assert versions(JWT_SECRET, tenant) == [1]


def test_after_a_rotation_the_next_one_is_a_full_period_away(tenant):
    start = timezone.now()
    secret_create(WEBHOOK_SECRET, tenant, now=start)
    secret_create(JWT_SECRET, tenant, now=start)
    rotate_due(now=start + 61 * DAY, tenants=[tenant])

    assert rotate_due(now=start + 62 * DAY, tenants=[tenant]) == []
    assert [(v.name, v.version) for v in rotate_due(now=start + 121 * DAY, tenants=[tenant])] == [
        (WEBHOOK_SECRET, 3), (JWT_SECRET, 2),
    ]


def test_inactive_hotels_are_left_alone(tenant):
    tenant.is_active = False
    tenant.save()

    assert [version for version in rotate_due() if version.tenant_id == tenant.pk] == []


def test_the_task_gives_new_hotels_their_first_secrets(tenant):
    ours = [line for line in rotate_due_secrets() if " hotel-sol " in line]

    assert sorted(ours) == ["jwt_secret hotel-sol v1", "webhook_secret hotel-sol v1"]


def test_beat_runs_the_rotation_every_hour():
    task = PeriodicTask.objects.get(task="security.rotation.rotate_due_secrets")

    assert (task.interval.every, task.interval.period) == (60 * 60, "seconds")
    assert rotate_due_secrets.name == "security.rotation.rotate_due_secrets"
