"""A blacklist entry matches however it was made: the model stores the email
lower-case and the phone in E.164 (read with the hotel's country) on save, clean,
bulk_create and fixture loads, and migration 0004 does the same to older rows."""
import importlib
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django_scopes import scopes_disabled

from reservations.errors import GuestNotAllowed
from reservations.services import reservation_create
from security.models import BlacklistEntry
from tests.factories import RoomTypeFactory, TenantFactory, stay

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module(
    "security.migrations.0004_blacklist_normalized_addresses_and_expiry_range"
)


def book(tenant, *, email="ana@example.com", phone="+34612345678"):
    check_in, check_out = stay(tenant=tenant)
    return reservation_create(
        tenant=tenant, room_type="standard", check_in=check_in, check_out=check_out, guests=2,
        guest_name="Ana García", guest_email=email, guest_phone=phone, source="api",
    )


def stored():
    with scopes_disabled():
        return list(BlacklistEntry.objects.order_by("pk").values_list("email", "phone"))


@pytest.mark.parametrize(("email", "phone"), [
    ("ANA@EXAMPLE.COM", ""),
    (" Ana@Example.com ", ""),
    ("", "612 345 678"),
    ("", "+34 612-345-678"),
    ("", "(+34) 612.34.56.78"),
])
def test_an_entry_made_with_the_orm_refuses_the_guest_at_booking(tenant, standard, email, phone):
    BlacklistEntry.objects.create(tenant=tenant, email=email, phone=phone, reason="Damaged the room")

    with pytest.raises(GuestNotAllowed):
        book(tenant, email="ana@example.com", phone="+34612345678")


def test_the_orm_stores_what_the_admin_would(tenant):
    BlacklistEntry.objects.create(tenant=tenant, email=" ANA@EXAMPLE.COM ", phone="612 345 678", reason="x")

    assert stored() == [("ana@example.com", "+34612345678")]


def test_a_hotels_national_number_is_read_with_its_country(db):
    harbor = TenantFactory(slug="harbor", country="US", timezone="America/New_York")
    RoomTypeFactory(tenant=harbor, code="standard")

    BlacklistEntry.objects.create(tenant=harbor, phone="(201) 555-0123", reason="x")

    assert stored() == [("", "+12015550123")]
    with pytest.raises(GuestNotAllowed):
        book(harbor, email="other@example.com", phone="201-555-0123")


def test_an_entry_for_every_hotel_made_with_the_orm_refuses_everywhere(tenant, standard):
    BlacklistEntry.objects.create(tenant=None, phone="+34 612 345 678", reason="x")

    with pytest.raises(GuestNotAllowed):
        book(tenant, email="other@example.com")


def test_an_entry_for_every_hotel_refuses_a_national_number_it_cannot_read(db):
    with pytest.raises(ValidationError) as raised:
        BlacklistEntry.objects.create(tenant=None, phone="612 345 678", reason="x")

    assert "international format" in str(raised.value.message_dict["phone"])
    assert stored() == []


def test_an_address_that_can_never_match_is_refused_on_save(tenant):
    with pytest.raises(ValidationError) as raised:
        BlacklistEntry.objects.create(tenant=tenant, email="not-an-email", phone="12", reason="x")

    assert set(raised.value.message_dict) == {"email", "phone"}
    assert stored() == []


def test_a_change_made_with_the_orm_is_normalized_too(tenant, standard):
    entry = BlacklistEntry.objects.create(tenant=tenant, email="someone@example.com", reason="x")

    entry.email = "ANA@Example.COM"
    entry.save()

    with pytest.raises(GuestNotAllowed):
        book(tenant)


def test_full_clean_normalizes_and_names_the_field_at_fault(tenant):
    entry = BlacklistEntry(tenant=tenant, email="ANA@EXAMPLE.COM", phone="612 345 678", reason="x")
    entry.full_clean()
    assert (entry.email, entry.phone) == ("ana@example.com", "+34612345678")

    with pytest.raises(ValidationError) as raised:
        BlacklistEntry(tenant=tenant, phone="12", reason="x").full_clean()
    assert list(raised.value.message_dict) == ["phone"]


def test_bulk_create_normalizes_every_entry(tenant, standard):
    BlacklistEntry.objects.bulk_create([
        BlacklistEntry(tenant=tenant, email="ANA@EXAMPLE.COM", reason="x"),
        BlacklistEntry(tenant=tenant, phone="+34 612-345-678", reason="y"),
    ])

    assert stored() == [("ana@example.com", ""), ("", "+34612345678")]
    with pytest.raises(GuestNotAllowed):
        book(tenant, email="other@example.com")


def test_bulk_update_of_an_address_normalizes_it(tenant):
    entry = BlacklistEntry.objects.create(tenant=tenant, email="someone@example.com", reason="x")
    entry.email = "ANA@EXAMPLE.COM"

    BlacklistEntry.objects.with_scopes_disabled().bulk_update([entry], ["email"])

    assert stored() == [("ana@example.com", "")]


def test_a_fixture_is_normalized_when_loaded(tenant, standard, tmp_path):
    fixture = tmp_path / "blacklist.json"
    fixture.write_text(json.dumps([{
        "model": "security.blacklistentry", "pk": 500,
        "fields": {"tenant": tenant.pk, "email": "ANA@EXAMPLE.COM", "phone": "612 345 678",
                   "reason": "Imported", "is_active": True, "created_at": "2026-01-01T00:00:00Z"},
    }]))

    call_command("loaddata", str(fixture), verbosity=0)

    assert stored() == [("ana@example.com", "+34612345678")]
    with pytest.raises(GuestNotAllowed):
        book(tenant)


# --- migration 0004 on rows stored before it -----------------------------------------------


def legacy_entry(tenant, *, email="", phone=""):
    """A row as an older version stored it: exactly as typed (update() skips save())."""
    entry = BlacklistEntry.objects.create(tenant=tenant, email="placeholder@example.com", reason="x")
    BlacklistEntry.objects.with_scopes_disabled().filter(pk=entry.pk).update(email=email, phone=phone)
    return entry


def test_the_migration_normalizes_rows_stored_as_typed(tenant, standard):
    harbor = TenantFactory(slug="harbor", country="US", timezone="America/New_York")
    legacy_entry(tenant, email="ANA@EXAMPLE.COM", phone="612 345 678")
    legacy_entry(harbor, phone="(201) 555-0123")
    legacy_entry(None, phone="+34 699-000-111")
    assert stored()[0] == ("ANA@EXAMPLE.COM", "612 345 678")

    MIGRATION.normalize_addresses(apps, None)

    assert stored() == [
        ("ana@example.com", "+34612345678"), ("", "+12015550123"), ("", "+34699000111"),
    ]
    with pytest.raises(GuestNotAllowed):
        book(tenant)


def test_the_migration_leaves_unreadable_addresses_as_they_were_only_trimmed(tenant):
    legacy_entry(tenant, email=" NOT-AN-EMAIL ", phone=" 12 ")
    legacy_entry(None, phone="612 345 678")  # an entry for every hotel has no country to read it with

    MIGRATION.normalize_addresses(apps, None)

    assert stored() == [("not-an-email", "12"), ("", "612 345 678")]


def test_the_migration_runs_on_the_historical_model(tenant):
    """What `migrate` hands it: the model as of 0004, with no save() of its own."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    legacy_entry(tenant, email="ANA@EXAMPLE.COM")
    state = MigrationExecutor(connection).loader.project_state(
        ("security", "0004_blacklist_normalized_addresses_and_expiry_range")
    )

    MIGRATION.normalize_addresses(state.apps, None)

    assert stored() == [("ana@example.com", "")]
