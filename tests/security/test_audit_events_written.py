"""What the product writes to the audit trail besides bookings: sign-ins, every
admin change of a hotel's data, and API keys issued and revoked."""
import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from reservations.models import RoomType
from security.api_keys import api_key_create, api_key_revoke
from security.models import ApiKey, AuditEvent
from tenants.models import ChannelAccount, Tenant
from tests.admin.pages import admin_url, change_form_data
from tests.factories import ChannelAccountFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

PASSWORD = "correct horse battery staple"  # UserFactory's


def events(**filters) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(**filters).order_by("pk"))


def test_a_sign_in_is_audited(client):
    user = UserFactory(username="ana")

    client.post(reverse("admin:login"), {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="198.51.100.4")

    [event] = events(event_type=AuditEvent.Type.AUTH_SUCCESS)
    assert (event.actor, event.ip_address, event.tenant) == (f"user:{user.pk}", "198.51.100.4", None)


def test_a_failed_sign_in_is_audited_without_the_password(client):
    UserFactory(username="ana")

    client.post(reverse("admin:login"), {"username": "ana", "password": "Tr0ub4dor&3-secret"})

    [event] = events(event_type=AuditEvent.Type.AUTH_FAILURE)
    assert event.actor == "username:ana"
    assert event.details["credentials"] == {"username": "ana", "password": "[redacted]"}
    assert "Tr0ub4dor" not in str(event.details)


def test_an_admin_change_names_the_fields_changed(as_manager, manager, standard, tenant):
    page = as_manager.get(admin_url(RoomType, "change", standard.pk))
    data = change_form_data(page) | {"name": "Standard double", "max_guests": 3}

    assert as_manager.post(admin_url(RoomType, "change", standard.pk), data).status_code == 302

    [event] = events(event_type=AuditEvent.Type.DATA_MODIFICATION, action="admin_change")
    assert (event.tenant, event.actor, event.resource) == (tenant, f"user:{manager.pk}",
                                                           f"reservations.roomtype:{standard.pk}")
    assert event.details == {"action": "change", "changed": ["name", "max_guests"]}


def test_an_admin_addition_is_audited(as_manager, tenant):
    as_manager.post(admin_url(ChannelAccount, "add"), {
        "tenant": tenant.pk, "channel": "whatsapp", "external_id": "100000000000009",
    })

    [event] = events(action="admin_add")
    account = ChannelAccount.objects.with_scope(tenant=tenant).get()
    assert (event.tenant, event.resource) == (tenant, f"tenants.channelaccount:{account.pk}")
    assert event.details["action"] == "add" and "external_id" in event.details["changed"]


def test_an_admin_deletion_is_audited(as_manager, tenant):
    account = ChannelAccountFactory(tenant=tenant)

    as_manager.post(admin_url(ChannelAccount, "delete", account.pk), {"post": "yes"})

    [event] = events(action="admin_delete")
    assert (event.tenant, event.resource) == (tenant, f"tenants.channelaccount:{account.pk}")
    assert event.details == {"action": "delete", "changed": []}


def test_rows_changed_inline_on_the_hotel_page_are_audited_too(as_manager, tenant):
    account = ChannelAccountFactory(tenant=tenant, external_id="100000000000001")
    page = as_manager.get(admin_url(Tenant, "change", tenant.pk))
    data = change_form_data(page)
    prefix = next(key.removesuffix("-0-external_id") for key in data if key.endswith("-0-external_id"))
    data[f"{prefix}-0-external_id"] = "100000000000002"

    assert as_manager.post(admin_url(Tenant, "change", tenant.pk), data).status_code == 302

    inline = [e for e in events(action="admin_change") if e.resource.startswith("tenants.channelaccount")]
    assert [(e.tenant, e.resource, e.details["changed"]) for e in inline] == [
        (tenant, f"tenants.channelaccount:{account.pk}", ["external_id"])
    ]


def test_an_api_key_issued_and_revoked_is_audited_by_prefix_only(tenant):
    api_key, raw_key = api_key_create(tenant=tenant, name="pms", actor="user:7")
    api_key_revoke(api_key=api_key, actor="user:8")

    created, revoked = events(resource=f"api_key:{api_key.prefix}")
    assert (created.action, created.actor, created.tenant) == ("api_key_created", "user:7", tenant)
    assert (revoked.action, revoked.actor) == ("api_key_revoked", "user:8")
    assert raw_key not in str(created.details) + str(revoked.details)


def test_keys_made_in_the_admin_name_the_staff_member(as_superuser, tenant):
    as_superuser.post(admin_url(ApiKey, "add"), {"tenant": tenant.pk, "name": "channel manager"})

    [event] = events(action="api_key_created")
    assert event.actor.startswith("user:")
