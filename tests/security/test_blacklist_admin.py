"""The blacklist screen: addresses stored as the booking rules read them, every
change audited on `blacklist:<id>`, hotels' lists kept apart, the global list
left to superusers."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from security.blacklist import is_blacklisted
from security.models import AuditEvent, BlacklistEntry
from tenants.models import TenantMembership
from tests.factories import BlacklistEntryFactory, MembershipFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:security_blacklistentry_add")
CHANGELIST = reverse("admin:security_blacklistentry_changelist")


def change_url(entry):
    return reverse("admin:security_blacklistentry_change", args=[entry.pk])


def add_entry(client, **fields):
    data = {"tenant": "", "email": "", "phone": "", "reason": "Damaged the room", "is_active": "on"}
    data.update(fields)
    return client.post(ADD, data)


def entries(**filters):
    with scopes_disabled():
        return list(BlacklistEntry.objects.filter(**filters).select_related("tenant", "created_by"))


def events(**filters):
    with scopes_disabled():
        return list(AuditEvent.objects.filter(**filters).order_by("pk"))


def listed(response) -> list:
    with scopes_disabled():
        return list(response.context["cl"].result_list)


@pytest.fixture
def other_entry(other_tenant):
    return BlacklistEntryFactory(tenant=other_tenant, email="harbor@example.com")


# --- adding, changing, deleting -----------------------------------------------------------


def test_an_added_entry_is_normalized_credited_and_audited(as_manager, manager, tenant):
    response = add_entry(as_manager, tenant=tenant.pk, email=" Trouble@Example.COM ", phone="612 000 111")

    assert response.status_code == 302
    [entry] = entries()
    assert (entry.email, entry.phone, entry.created_by) == ("trouble@example.com", "+34612000111", manager)
    [event] = events(resource=f"blacklist:{entry.pk}")
    assert (event.event_type, event.action, event.tenant, event.actor) == (
        AuditEvent.Type.DATA_MODIFICATION, "blacklist_entry_added", tenant, f"user:{manager.pk}"
    )
    assert event.details == {
        "scope": "hotel", "matches": ["email", "phone"], "expires": False, "active": True
    }


def test_a_hotels_phone_is_read_with_its_country(client, other_tenant):
    harbor_manager = MembershipFactory(tenant=other_tenant, role=TenantMembership.Role.MANAGER).user
    client.force_login(harbor_manager)

    add_entry(client, tenant=other_tenant.pk, phone="(201) 555-0123")

    assert [entry.phone for entry in entries()] == ["+12015550123"]


def test_the_reason_is_kept_as_plain_text(as_manager, tenant):
    add_entry(as_manager, tenant=tenant.pk, email="a@example.com", reason="<b>Rompió</b> la puerta\x07")

    assert [entry.reason for entry in entries()] == ["Rompió la puerta"]


def test_a_hostile_reason_is_reported_and_the_entry_still_saved(as_manager, manager, tenant):
    add_entry(as_manager, tenant=tenant.pk, email="a@example.com", reason="<script>alert(1)</script>Ruido")

    assert [entry.reason for entry in entries()] == ["Ruido"]
    [report] = events(event_type=AuditEvent.Type.SUSPICIOUS_ACTIVITY)
    assert (report.actor, report.details["source"], report.details["field"]) == (
        f"user:{manager.pk}", "admin", "reason"
    )


def test_an_entry_needs_an_email_or_a_phone_and_a_reason(as_manager, tenant):
    response = add_entry(as_manager, tenant=tenant.pk, reason="  ")

    errors = response.context["adminform"].form.errors
    assert {"email", "reason"} <= set(errors)
    assert entries() == []


def test_a_change_is_audited_with_the_fields_changed_but_not_their_values(as_manager, tenant):
    entry = BlacklistEntryFactory(tenant=tenant, email="old@example.com")

    response = as_manager.post(change_url(entry), {
        "email": "new@example.com", "phone": "", "reason": "Damaged the room", "is_active": "",
    })

    assert response.status_code == 302
    [event] = events(action="blacklist_entry_changed")
    assert event.resource == f"blacklist:{entry.pk}"
    assert event.details == {"changed": ["email", "is_active"]}
    assert "new@example.com" not in str(event.details)
    assert not is_blacklisted(tenant=tenant, email="new@example.com")  # inactive now


def test_deleting_audits_each_entry(as_manager, tenant):
    first, second = BlacklistEntryFactory.create_batch(2, tenant=tenant)

    as_manager.post(reverse("admin:security_blacklistentry_delete", args=[first.pk]), {"post": "yes"})
    as_manager.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [second.pk], "post": "yes"})

    assert entries() == []
    assert [event.resource for event in events(action="blacklist_entry_deleted")] == [
        f"blacklist:{first.pk}", f"blacklist:{second.pk}"
    ]
    # ...and no second, generic event per change
    assert not events(event_type=AuditEvent.Type.DATA_MODIFICATION, action__startswith="admin_")


# --- the global list ----------------------------------------------------------------


def test_a_manager_cannot_make_an_entry_for_every_hotel(as_manager):
    response = add_entry(as_manager, email="trouble@example.com")

    assert "tenant" in response.context["adminform"].form.errors
    assert entries() == []


def test_a_manager_neither_sees_nor_changes_entries_for_every_hotel(as_manager):
    entry = BlacklistEntryFactory(tenant=None, email="everywhere@example.com")

    assert entry not in listed(as_manager.get(CHANGELIST))
    assert as_manager.get(change_url(entry)).status_code == 302  # "does not exist", like any unknown id
    as_manager.post(change_url(entry), {"email": "x@example.com", "reason": "x", "is_active": "on"})
    assert entries()[0].email == "everywhere@example.com"


def test_a_superuser_makes_an_entry_for_every_hotel_with_an_international_phone(as_superuser, tenant,
                                                                               other_tenant):
    national = add_entry(as_superuser, phone="612 000 111")
    international = add_entry(as_superuser, phone="+34 612 000 111")

    assert "international format" in str(national.context["adminform"].form.errors["phone"])
    assert international.status_code == 302
    [entry] = entries()
    assert (entry.tenant, entry.phone) == (None, "+34612000111")
    assert is_blacklisted(tenant=other_tenant, phone="+34612000111")
    [event] = events(action="blacklist_entry_added")
    assert (event.tenant, event.details["scope"]) == (None, "every_hotel")


# --- hotels kept apart ---------------------------------------------------------------


def test_a_manager_sees_only_their_hotels_entries(as_manager, tenant, other_entry):
    own = BlacklistEntryFactory(tenant=tenant)

    assert listed(as_manager.get(CHANGELIST)) == [own]


def test_a_manager_cannot_open_change_or_delete_another_hotels_entry(as_manager, other_entry):
    assert as_manager.get(change_url(other_entry)).status_code == 302
    as_manager.post(change_url(other_entry), {"email": "x@example.com", "reason": "x", "is_active": ""})
    as_manager.post(reverse("admin:security_blacklistentry_delete", args=[other_entry.pk]), {"post": "yes"})
    as_manager.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [other_entry.pk],
                                 "post": "yes"})

    [entry] = entries()
    assert (entry.email, entry.is_active) == ("harbor@example.com", True)
    assert events(event_type=AuditEvent.Type.DATA_MODIFICATION) == []


def test_a_manager_cannot_add_an_entry_to_another_hotel(as_manager, other_tenant):
    response = add_entry(as_manager, tenant=other_tenant.pk, email="x@example.com")

    assert "tenant" in response.context["adminform"].form.errors
    assert entries() == []


def test_staff_read_their_hotels_list_but_cannot_change_it(client, tenant):
    client.force_login(MembershipFactory(tenant=tenant, role=TenantMembership.Role.STAFF).user)
    entry = BlacklistEntryFactory(tenant=tenant)

    assert listed(client.get(CHANGELIST)) == [entry]
    assert add_entry(client, tenant=tenant.pk, email="x@example.com").status_code == 403
    client.post(change_url(entry), {"email": "x@example.com", "reason": "x", "is_active": ""})
    assert entries()[0].email == "banned@example.com"


# --- finding entries ---------------------------------------------------------------


def test_filters_tell_expired_from_current_entries(as_manager, tenant):
    day = datetime.timedelta(days=1)
    current = BlacklistEntryFactory(tenant=tenant, email="a@example.com", expires_at=timezone.now() + day)
    forever = BlacklistEntryFactory(tenant=tenant, email="b@example.com")
    expired = BlacklistEntryFactory(tenant=tenant, email="c@example.com", expires_at=timezone.now() - day)
    inactive = BlacklistEntryFactory(tenant=tenant, email="d@example.com", is_active=False)

    assert set(listed(as_manager.get(CHANGELIST, {"expired": "yes"}))) == {expired}
    assert set(listed(as_manager.get(CHANGELIST, {"expired": "no"}))) == {current, forever, inactive}
    assert set(listed(as_manager.get(CHANGELIST, {"is_active__exact": "0"}))) == {inactive}
    assert len(listed(as_manager.get(CHANGELIST, {"tenant__id__exact": tenant.pk}))) == 4


def test_search_finds_a_phone_however_it_is_typed(as_manager, tenant):
    entry = BlacklistEntryFactory(tenant=tenant, email="", phone="+34612000111")
    BlacklistEntryFactory(tenant=tenant, email="other@example.com")

    assert listed(as_manager.get(CHANGELIST, {"q": "+34 612 000 111"})) == [entry]
    assert listed(as_manager.get(CHANGELIST, {"q": "other@"}))[0].email == "other@example.com"
