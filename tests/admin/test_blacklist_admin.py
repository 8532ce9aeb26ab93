import pytest
from django_scopes import scopes_disabled

from security.blacklist import is_blacklisted
from security.models import BlacklistEntry

from .pages import admin_url

pytestmark = pytest.mark.django_db


def add_entry(client, **fields):
    data = {"tenant": "", "email": "", "phone": "", "reason": "Damaged the room", "is_active": "on"}
    data.update(fields)
    return client.post(admin_url(BlacklistEntry, "add"), data)


def test_entry_records_who_made_it_and_blocks_the_guest(as_manager, manager, tenant):
    response = add_entry(as_manager, tenant=tenant.pk, email="Trouble@Example.com", phone="612 000 111")

    assert response.status_code == 302
    with scopes_disabled():
        entry = BlacklistEntry.objects.get()
    assert entry.created_by == manager
    assert (entry.email, entry.phone) == ("trouble@example.com", "+34612000111")
    assert is_blacklisted(tenant=tenant, phone="+34612000111")


def test_manager_cannot_make_an_entry_for_every_hotel(as_manager):
    response = add_entry(as_manager, email="trouble@example.com")

    assert "tenant" in response.context["adminform"].form.errors
    with scopes_disabled():
        assert not BlacklistEntry.objects.exists()


def test_superuser_makes_an_entry_for_every_hotel(as_superuser, tenant, other_tenant):
    response = add_entry(as_superuser, email="trouble@example.com")

    assert response.status_code == 302
    assert is_blacklisted(tenant=other_tenant, email="trouble@example.com")


def test_entry_needs_an_email_or_a_phone(as_manager, tenant):
    response = add_entry(as_manager, tenant=tenant.pk)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
