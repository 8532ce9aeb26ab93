"""Secrets in the admin: names, versions and dates, never values; "Rotate now"."""
import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from security.models import AuditEvent, ManagedSecret
from security.secret_store import WEBHOOK_SECRET, current_secret, secret_create
from tenants.models import TenantMembership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:security_managedsecret_changelist"


@pytest.fixture
def secret(tenant):
    return secret_create(WEBHOOK_SECRET, tenant)


@pytest.fixture
def as_manager(client, tenant):
    client.force_login(MembershipFactory(tenant=tenant, role=TenantMembership.Role.MANAGER).user)
    return client


@pytest.fixture
def as_superuser(client, db):
    client.force_login(UserFactory(is_superuser=True))
    return client


def shown(response) -> list:
    with scopes_disabled():
        return list(response.context["cl"].result_list)


def versions(tenant) -> list[int]:
    with scopes_disabled():
        return sorted(ManagedSecret.objects.filter(tenant=tenant).values_list("version", flat=True))


def test_the_list_and_the_page_never_show_the_value(as_manager, tenant, secret):
    value = current_secret(WEBHOOK_SECRET, tenant).value
    pages = [
        as_manager.get(reverse(CHANGELIST)),
        as_manager.get(reverse("admin:security_managedsecret_change", args=[secret.pk])),
    ]

    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert value not in html and secret.encrypted_value not in html
    assert "webhook_secret" in pages[0].content.decode()


def test_managers_see_their_hotels_secrets_only(as_manager, tenant, other_tenant, secret):
    secret_create(WEBHOOK_SECRET, other_tenant)
    secret_create(WEBHOOK_SECRET, None)  # every hotel's: superusers only

    assert shown(as_manager.get(reverse(CHANGELIST))) == [secret]


def test_staff_members_do_not_see_secrets(client, tenant, secret):
    client.force_login(MembershipFactory(tenant=tenant, role=TenantMembership.Role.STAFF).user)

    assert client.get(reverse(CHANGELIST)).status_code == 403


def test_superusers_see_global_secrets(as_superuser, secret):
    everyone = secret_create(WEBHOOK_SECRET, None)

    assert everyone in shown(as_superuser.get(reverse(CHANGELIST)))


def test_secrets_cannot_be_added_or_deleted(as_superuser, secret):
    delete = reverse("admin:security_managedsecret_delete", args=[secret.pk])

    assert as_superuser.get(reverse("admin:security_managedsecret_add")).status_code == 403
    assert as_superuser.get(delete).status_code == 403


def test_rotate_now_adds_a_version_and_audits_who_asked(as_manager, tenant, secret):
    response = as_manager.post(reverse(CHANGELIST), {"action": "rotate_now", "_selected_action": [secret.pk]},
                               follow=True)

    assert "1 secret rotated." in response.content.decode()
    assert versions(tenant) == [1, 2]
    with scopes_disabled():
        event = AuditEvent.objects.filter(event_type="SECRET_ROTATED", action="secret_rotated").get()
    assert event.actor.startswith("user:")


def test_a_manager_cannot_rotate_another_hotels_secret(as_manager, other_tenant):
    theirs = secret_create(WEBHOOK_SECRET, other_tenant)

    as_manager.post(reverse(CHANGELIST), {"action": "rotate_now", "_selected_action": [theirs.pk]})

    assert versions(other_tenant) == [1]
