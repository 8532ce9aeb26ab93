import stat

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled

from security.api_keys import api_key_check
from tenants.models import ChannelAccount, Tenant, TenantMembership

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    with scopes_disabled():
        return {
            model._meta.label: model._default_manager.count()
            for app in ("tenants", "reservations", "security", "auth")
            for model in apps.get_app_config(app).get_models()
        }


def test_running_twice_changes_nothing(seed_demo):
    seed_demo()
    before = row_counts()

    seed_demo()

    assert row_counts() == before
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert before["security.ApiKey"] == 2


def test_two_hotels_with_rooms_inventory_and_whatsapp(seed_demo):
    seed_demo()

    sol = Tenant.objects.get(slug="hotel-sol")
    harbor = Tenant.objects.get(slug="harbor-inn")
    assert (sol.language, sol.currency, sol.timezone) == ("es", "EUR", "Europe/Madrid")
    assert (harbor.language, harbor.currency, harbor.timezone) == ("en", "USD", "America/New_York")
    with scopes_disabled():
        capacities = {room_type.code: room_type.max_guests for room_type in sol.room_types.all()}
        assert capacities == {"standard": 2, "deluxe": 3, "suite": 4}
        assert sol.room_types.get(code="suite").nights.count() == 365
        assert ChannelAccount.objects.get(external_id="100000000000002").tenant == harbor
        assert TenantMembership.objects.get(user__username="sol-manager").role == "manager"
        assert TenantMembership.objects.get(user__username="harbor-staff").tenant == harbor


def test_credentials_are_printed_once_and_saved_privately(seed_demo, credentials_file):
    first = seed_demo()

    saved = credentials_file.read_text()
    assert stat.S_IMODE(credentials_file.stat().st_mode) == 0o600
    admin_password = next(
        line.split(": ")[-1] for line in saved.splitlines() if line.startswith("admin (superuser) password")
    )
    assert admin_password in first
    assert get_user_model().objects.get(username="admin").check_password(admin_password)
    keys = [line.split()[-1] for line in saved.splitlines() if "API key" in line]
    assert {api_key_check(key).tenant.slug for key in keys} == {"hotel-sol", "harbor-inn"}


def test_later_runs_show_the_saved_credentials_when_asked(seed_demo, credentials_file):
    seed_demo()

    again = seed_demo("--show-credentials")

    assert "created earlier" in again
    for line in credentials_file.read_text().splitlines():
        if not line.startswith("#"):
            assert line in again


def test_credentials_of_another_database_are_not_shown(seed_demo, credentials_file):
    credentials_file.parent.mkdir()
    credentials_file.write_text(
        "# database: sqlite  /elsewhere/db.sqlite3\nadmin (superuser) password: stale\n"
    )

    first = seed_demo()
    again = seed_demo()

    assert "stale" not in first + again + credentials_file.read_text()


def test_the_demo_hotels_open_on_a_working_morning(seed_demo):
    """Guests arriving today (one already checked in) and the week's bookings, so a
    newcomer's dashboard and calendar show a hotel at work."""
    from reservations.models import NightlyInventory, Reservation

    seed_demo()

    with scopes_disabled():
        for hotel in Tenant.objects.filter(slug__in=["hotel-sol", "harbor-inn"]):
            today = hotel.local_today()
            stays = Reservation.objects.filter(tenant=hotel)
            assert stays.filter(check_in=today).count() == 2
            assert stays.filter(check_in=today, status="checked_in").count() == 1
            assert stays.filter(check_in__gt=today).count() == 2
            booked = NightlyInventory.objects.filter(room_type__tenant=hotel, date=today)
            assert sum(night.rooms_booked for night in booked) == 2
