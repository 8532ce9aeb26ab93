"""API keys rotate every 30 days: a successor per key, the old one works for 7 more
days, and the hotel's managers get the new key by email."""
import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from security.api_keys import api_key_check, api_key_create, api_key_revoke
from security.models import ApiKey, ManagedSecret
from security.rotation import rotate
from security.secret_store import API_KEY, decrypt
from tenants.models import TenantMembership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
KEY = re.compile(r"ha_[0-9a-f]+_[\w-]+")


@pytest.fixture
def old_key(tenant):
    return api_key_create(tenant=tenant, name="website")[1]


@pytest.fixture
def manager(tenant):
    return MembershipFactory(
        tenant=tenant, role=TenantMembership.Role.MANAGER, user__email="ana@hotel.example"
    )


def new_keys_in(message) -> list[str]:
    return KEY.findall(message.body)


def test_the_replaced_key_works_for_seven_days_and_is_refused_after(tenant, old_key):
    now = timezone.now()

    rotate(API_KEY, tenant, force=True, now=now)

    assert api_key_check(old_key, now=now + 7 * DAY - datetime.timedelta(seconds=1)) is not None
    assert api_key_check(old_key, now=now + 7 * DAY) is None


def test_the_api_refuses_a_key_whose_overlap_is_over(tenant, old_key, standard):
    rotate(API_KEY, tenant, force=True, now=timezone.now() - 8 * DAY)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {old_key}")

    assert client.get("/api/v1/reservations/").status_code == 401


def test_the_successor_keeps_the_name_and_works(tenant, old_key, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rotate(API_KEY, tenant, force=True)
    [new_key] = new_keys_in(mail.outbox[0])

    api_key = api_key_check(new_key)
    assert (api_key.tenant, api_key.name, api_key.expires_at) == (tenant, "website", None)
    assert new_key != old_key


def test_managers_are_emailed_the_new_key_in_the_hotels_language(
    tenant, old_key, manager, other_tenant, django_capture_on_commit_callbacks
):
    MembershipFactory(tenant=tenant, role=TenantMembership.Role.STAFF, user__email="staff@hotel.example")
    MembershipFactory(tenant=other_tenant, role=TenantMembership.Role.MANAGER, user__email="x@harbor.example")
    MembershipFactory(tenant=tenant, role=TenantMembership.Role.MANAGER, user__email="luis@hotel.example")

    with django_capture_on_commit_callbacks(execute=True):
        rotate(API_KEY, tenant, force=True)

    assert sorted(message.to[0] for message in mail.outbox) == ["ana@hotel.example", "luis@hotel.example"]
    assert mail.outbox[0].subject == "Nuevas claves de API de Hotel Sol"
    assert f"ha_{old_key.split('_')[1]}_" in mail.outbox[0].body  # which key it replaces
    assert old_key not in mail.outbox[0].body


def test_every_key_in_service_is_replaced_and_revoked_ones_are_not(tenant, django_capture_on_commit_callbacks,
                                                                   manager):
    api_key_create(tenant=tenant, name="website")
    api_key_create(tenant=tenant, name="pms")
    revoked, _ = api_key_create(tenant=tenant, name="old")
    api_key_revoke(api_key=revoked)

    with django_capture_on_commit_callbacks(execute=True):
        rotate(API_KEY, tenant, force=True)

    assert len(new_keys_in(mail.outbox[0])) == 2
    with scopes_disabled():
        assert sorted(ApiKey.objects.filter(expires_at__isnull=True, revoked_at__isnull=True)
                      .values_list("name", flat=True)) == ["pms", "website"]


def test_the_version_records_prefixes_never_keys(
    tenant, old_key, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = rotate(API_KEY, tenant, force=True)
    [new_key] = new_keys_in(mail.outbox[0])

    assert decrypt(version.encrypted_value) == new_key.split("_")[1]


def test_a_hotel_without_keys_has_nothing_to_rotate(tenant):
    assert rotate(API_KEY, tenant, force=True) is None
    with scopes_disabled():
        assert not ManagedSecret.objects.exists()


def test_a_hotel_without_managers_still_rotates(tenant, old_key, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert rotate(API_KEY, tenant, force=True) is not None

    assert mail.outbox == []


def test_a_due_rotation_happens_once_within_the_period(tenant, old_key):
    later = timezone.now() + 31 * DAY

    assert rotate(API_KEY, tenant, now=later) is not None
    assert rotate(API_KEY, tenant, now=later + DAY) is None
