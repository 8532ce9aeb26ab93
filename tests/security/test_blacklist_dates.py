"""An expiry is a date someone means: from 10 years ago to 10 years ahead, checked
by the model field for the admin form and the CSV import alike. 9999-12-31 late
in a zone behind UTC is year 10000 in UTC, which PostgreSQL would store and no page
could read back; it is refused with the field's error and the list keeps opening."""
import datetime
import importlib
import io
import zoneinfo

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from security.blacklist import blacklist_import_csv
from security.models import BlacklistEntry
from security.validation import MomentInRange, validate_expiry
from tenants.models import TenantMembership
from tests.factories import BlacklistEntryFactory, MembershipFactory, TenantFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:security_blacklistentry_add")
CHANGELIST = reverse("admin:security_blacklistentry_changelist")
IMPORT_URL = reverse("admin:security_blacklistentry_import")
MIGRATION = importlib.import_module(
    "security.migrations.0004_blacklist_normalized_addresses_and_expiry_range"
)
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")

ABSURD_EXPIRIES = [
    ("9999-12-31", "23:00"),  # year 10000 in UTC once read in a zone behind it
    ("9999-12-31", "23:59"),
    ("2200-01-01", "00:00"),
    ("0001-01-01", "00:00"),
    ("1990-06-01", "12:00"),
]


def entries():
    with scopes_disabled():
        return list(BlacklistEntry.objects.order_by("pk"))


def add_entry(client, tenant, day, time):
    return client.post(ADD, {
        "tenant": tenant.pk, "email": "ana@example.com", "phone": "", "reason": "Damaged the room",
        "is_active": "on", "expires_at_0": day, "expires_at_1": time,
    })


@pytest.fixture
def kiritimati(db):
    return TenantFactory(slug="kiritimati", name="Line Islands Lodge", timezone="Pacific/Kiritimati",
                         country="KI")


@pytest.fixture
def west(db):
    """A hotel behind UTC."""
    return TenantFactory(slug="west", name="West Inn", timezone="America/New_York", country="US")


def manager_of(client, tenant):
    client.force_login(MembershipFactory(tenant=tenant, role=TenantMembership.Role.MANAGER).user)
    return client


# --- the admin form ----------------------------------------------------------------


@pytest.mark.parametrize(("day", "time"), ABSURD_EXPIRIES)
def test_the_form_refuses_an_absurd_expiry_on_its_field(as_manager, tenant, day, time):
    response = add_entry(as_manager, tenant, day, time)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["expires_at"]
    assert "Enter a date between" in str(errors["expires_at"])
    assert entries() == []
    assert as_manager.get(CHANGELIST).status_code == 200


def test_the_form_takes_an_expiry_within_the_range(as_manager, tenant):
    """Typed in the hotel's time zone, as the back office shows times (Madrid: UTC+2 in June)."""
    next_year = timezone.now().year + 1

    assert add_entry(as_manager, tenant, f"{next_year}-06-01", "12:00").status_code == 302
    [entry] = entries()
    madrid = zoneinfo.ZoneInfo(tenant.timezone)
    assert entry.expires_at == datetime.datetime(next_year, 6, 1, 12, tzinfo=madrid)
    assert entry.expires_at == datetime.datetime(next_year, 6, 1, 10, tzinfo=datetime.UTC)


def test_an_entry_expired_a_while_ago_can_still_be_edited(as_manager, tenant):
    entry = BlacklistEntryFactory(tenant=tenant, expires_at=timezone.now() - datetime.timedelta(days=400))
    url = reverse("admin:security_blacklistentry_change", args=[entry.pk])
    local = timezone.localtime(entry.expires_at)

    response = as_manager.post(url, {
        "email": entry.email, "phone": "", "reason": "Changed", "is_active": "on",
        "expires_at_0": local.date().isoformat(), "expires_at_1": local.strftime("%H:%M:%S"),
    })

    assert response.status_code == 302
    assert entries()[0].reason == "Changed"


# --- the CSV import ---------------------------------------------------------------


def import_rows(tenant, *expiries):
    manager = MembershipFactory(tenant=tenant, role=TenantMembership.Role.MANAGER).user
    lines = ["email,reason,expires_at", *(f"g{n}@example.com,x,{value}" for n, value in enumerate(expiries))]
    return blacklist_import_csv(file=io.BytesIO("\n".join(lines).encode()), tenant=tenant, user=manager)


@pytest.mark.parametrize("expiry", [
    "9999-12-31T23:59", "9999-12-31", "9999-12-31T23:59:59+14:00", "9999-12-31T23:00-05:00", "2200-01-01",
])
def test_an_absurd_expiry_in_the_easternmost_zone_rejects_its_row(kiritimati, expiry):
    report = import_rows(kiritimati, expiry)

    [row] = report.rows
    assert [(problem.column, problem.code) for problem in row.problems] == [("expires_at", "out_of_range")]
    assert entries() == []


@pytest.mark.parametrize("expiry", ["9999-12-31T23:00", "9999-12-31T19:00", "9999-12-31"])
def test_a_naive_last_day_of_year_9999_behind_utc_rejects_its_row(west, expiry):
    report = import_rows(west, expiry)

    assert report.rows[0].codes == ["out_of_range"]
    assert entries() == []


def test_a_long_passed_expiry_is_still_called_passed(west):
    report = import_rows(west, "0001-01-01T00:00", "1990-01-01")

    assert [row.codes for row in report.rows] == [["expired"], ["expired"]]


def test_the_absurd_row_is_rejected_and_the_others_imported(west):
    next_year = timezone.now().year + 1

    report = import_rows(west, "9999-12-31T23:00", f"{next_year}-01-31", "")

    assert [row.imported for row in report.rows] == [False, True, True]
    assert [entry.expires_at for entry in entries()] == [
        datetime.datetime(next_year, 1, 31, tzinfo=NEW_YORK), None
    ]


def test_the_screen_reports_the_row_and_the_list_still_opens(client, west):
    manager_of(client, west)
    upload = SimpleUploadedFile("list.csv", b"email,reason,expires_at\nana@example.com,x,9999-12-31T23:00\n")

    response = client.post(IMPORT_URL, {"file": upload, "tenant": west.pk})

    assert response.status_code == 200
    assert "Enter a date between" in response.content.decode()
    assert entries() == []
    assert client.get(CHANGELIST).status_code == 200


def test_a_superusers_list_still_opens_after_an_absurd_import(as_superuser, west):
    upload = SimpleUploadedFile(
        "list.csv", b"email,reason,expires_at,tenant\nana@example.com,x,9999-12-31T23:00,west\n"
    )

    assert as_superuser.post(IMPORT_URL, {"file": upload}).status_code == 200
    assert entries() == []
    assert as_superuser.get(CHANGELIST).status_code == 200


# --- the model -----------------------------------------------------------------------


def test_full_clean_names_the_expiry_field(tenant):
    entry = BlacklistEntry(tenant=tenant, email="ana@example.com", reason="x",
                           expires_at=datetime.datetime(9999, 12, 31, 23, tzinfo=NEW_YORK))

    with pytest.raises(ValidationError) as raised:
        entry.full_clean()

    assert list(raised.value.message_dict) == ["expires_at"]


def test_save_refuses_an_expiry_that_does_not_exist_in_utc(tenant):
    year_10000 = datetime.datetime(9999, 12, 31, 23, tzinfo=NEW_YORK)

    with pytest.raises(ValidationError) as raised:
        BlacklistEntry.objects.create(tenant=tenant, email="ana@example.com", reason="x",
                                      expires_at=year_10000)

    assert list(raised.value.message_dict) == ["expires_at"]
    assert entries() == []


@pytest.mark.parametrize(("offset", "valid"), [
    (datetime.timedelta(days=-365 * 10 + 2), True),
    (datetime.timedelta(days=-365 * 10 - 5), False),
    (datetime.timedelta(days=365 * 10 - 2), True),
    (datetime.timedelta(days=365 * 10 + 30), False),
])
def test_the_range_is_ten_years_back_to_ten_ahead(offset, valid):
    moment = timezone.now() + offset

    if valid:
        validate_expiry(moment)
    else:
        with pytest.raises(ValidationError):
            validate_expiry(moment)


def test_a_naive_moment_or_a_date_is_read_as_the_default_zone():
    next_year = timezone.now().year + 1
    validate_expiry(datetime.datetime(next_year, 1, 1))
    validate_expiry(datetime.date(next_year, 1, 1))
    with pytest.raises(ValidationError):
        validate_expiry(datetime.date(9999, 12, 31))


def test_the_validator_is_one_a_migration_can_write_down():
    assert validate_expiry.deconstruct() == (
        "security.validation.MomentInRange", (), {"years_back": 10, "years_ahead": 10}
    )
    assert MomentInRange(years_back=10, years_ahead=10) == validate_expiry


# --- rows PostgreSQL stored before the check ------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL stores year 10000")
def test_the_migration_clears_expiries_no_page_could_read(as_superuser, tenant):
    forever = BlacklistEntryFactory(tenant=tenant, email="forever@example.com")
    ancient = BlacklistEntryFactory(tenant=tenant, email="ancient@example.com")
    kept = BlacklistEntryFactory(tenant=tenant, email="kept@example.com",
                                 expires_at=timezone.now() + datetime.timedelta(days=30))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE security_blacklistentry SET expires_at = '10000-01-01 04:00+00' WHERE id = %s",
                       [forever.pk])
        cursor.execute("UPDATE security_blacklistentry SET expires_at = '0001-01-01 00:00+05' WHERE id = %s",
                       [ancient.pk])

    MIGRATION.clear_unreadable_expiries(apps, None)

    assert as_superuser.get(CHANGELIST).status_code == 200
    with scopes_disabled():
        expiries = dict(BlacklistEntry.objects.values_list("email", "expires_at"))
    assert expiries["forever@example.com"] is None
    assert expiries["ancient@example.com"] == datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    assert expiries["kept@example.com"] == kept.expires_at
