"""Bulk import of blacklist entries from a CSV file: each row imported or rejected
with its reasons, nothing written for a rejected row, one audit event per import."""
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from security.blacklist import MAX_IMPORT_ROWS, blacklist_import_csv, is_blacklisted
from security.models import AuditEvent, BlacklistEntry
from tenants.models import TenantMembership
from tests.factories import BlacklistEntryFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:security_blacklistentry_import")


def csv_file(*lines: str, encoding="utf-8") -> io.BytesIO:
    return io.BytesIO("\n".join(lines).encode(encoding))


def entries(**filters):
    with scopes_disabled():
        return list(BlacklistEntry.objects.filter(**filters).order_by("pk"))


def import_events():
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action="blacklist_imported"))


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True)


@pytest.fixture
def other_manager(other_tenant):
    return MembershipFactory(tenant=other_tenant, role=TenantMembership.Role.MANAGER).user


def test_a_manager_imports_good_rows_into_their_hotel(tenant, manager):
    report = blacklist_import_csv(file=csv_file(
        "email,phone,reason,expires_at",
        "Trouble@Example.com,612 000 111,Damaged the room,",
        ",+44 7400 123456,Unpaid bill,2030-01-31",
    ), tenant=tenant, user=manager)

    assert [(row.line, row.imported) for row in report.rows] == [(2, True), (3, True)]
    first, second = entries()
    assert (first.tenant, first.email, first.phone, first.created_by) == (
        tenant, "trouble@example.com", "+34612000111", manager
    )
    assert (second.email, second.phone, second.reason) == ("", "+447400123456", "Unpaid bill")
    assert second.expires_at == datetime.datetime(2030, 1, 31, tzinfo=tenant.tzinfo)
    assert is_blacklisted(tenant=tenant, email="trouble@example.com")


def test_each_bad_row_is_rejected_with_its_reasons_and_the_rest_imported(tenant, manager):
    BlacklistEntryFactory(tenant=tenant, email="already@example.com", reason="Old entry")

    report = blacklist_import_csv(file=csv_file(
        "email,phone,reason,expires_at,tenant",
        "good@example.com,,Damaged the room,,",
        "not-an-email,,Damaged the room,,",
        ",12,Damaged the room,,",
        "noreason@example.com,,,,",
        ",,Nobody,,",
        "already@example.com,,Again,,",
        "good@example.com,,Twice in one file,,",
        "late@example.com,,Too late,2001-01-01,",
        "when@example.com,,Bad date,next tuesday,",
        "elsewhere@example.com,,Another hotel,,harbor-inn",
        "<b>markup@example.com</b>,,x,,",
    ), tenant=tenant, user=manager)

    assert [row.codes for row in report.rows] == [
        [], ["invalid_email"], ["invalid_phone"], ["missing_reason"], ["missing_contact"], ["duplicate"],
        ["duplicate"], ["expired"], ["invalid_expiry"], ["no_permission"], ["invalid_email"],
    ]
    assert [entry.email for entry in entries()] == ["already@example.com", "good@example.com"]
    assert report.rows[6].problems[0].message == "The same guest is on line 2."


def test_the_import_is_audited_once_with_counts_and_no_addresses(tenant, manager):
    blacklist_import_csv(file=csv_file(
        "email,phone,reason", "a@example.com,,One", "b@example.com,,Two", "bad,,Three",
    ), tenant=tenant, user=manager, ip_address="198.51.100.7")

    [event] = import_events()
    assert (event.event_type, event.tenant, event.actor, event.ip_address, event.resource) == (
        AuditEvent.Type.DATA_MODIFICATION, tenant, f"user:{manager.pk}", "198.51.100.7", "blacklist:import"
    )
    assert event.details == {
        "scope": "hotel", "rows": 3, "imported": 2, "rejected": 1, "rejections": {"invalid_email": 1},
        "entries": [entry.pk for entry in entries()],
    }
    assert "a@example.com" not in str(event.details)


def test_reasons_are_stored_as_plain_text(tenant, manager):
    blacklist_import_csv(file=csv_file(
        "email,reason", 'a@example.com,"<b>Broke</b> the <script>x</script>door\x07"',
    ), tenant=tenant, user=manager)

    [entry] = entries()
    assert entry.reason == "Broke the door"


def test_semicolons_and_a_spreadsheet_bom_are_understood(tenant, manager):
    file = io.BytesIO("\ufeffEmail;Phone;Reason\nana@example.com;;Ruido\n".encode())

    report = blacklist_import_csv(file=file, tenant=tenant, user=manager)

    assert [row.imported for row in report.rows] == [True]


def test_a_date_means_the_start_of_that_day_at_the_hotel_and_a_time_may_name_its_zone(other_tenant,
                                                                                    other_manager):
    blacklist_import_csv(file=csv_file(
        "email,reason,expires_at",
        "a@example.com,x,2030-03-01", "b@example.com,x,2030-03-01T18:30", "c@example.com,x,2030-03-01T18:30Z",
    ), tenant=other_tenant, user=other_manager)

    new_york = other_tenant.tzinfo
    assert [entry.expires_at for entry in entries()] == [
        datetime.datetime(2030, 3, 1, tzinfo=new_york),
        datetime.datetime(2030, 3, 1, 18, 30, tzinfo=new_york),
        datetime.datetime(2030, 3, 1, 18, 30, tzinfo=datetime.UTC),
    ]


@pytest.mark.parametrize(("content", "problem"), [
    (b"", "empty"),
    (b"mail,phone,reason\nx@example.com,,y", "first line"),
    (b"email,email,reason\n", "first line"),
    (b"email,phone\nx@example.com,", "first line"),
    ("email,reason\nñ@example.com,ruido".encode("latin-1"), "UTF-8"),
    (b"email,reason\n" + b"x@example.com,y\n" * (MAX_IMPORT_ROWS + 1), "more than"),
])
def test_a_file_that_is_not_the_expected_csv_imports_nothing(tenant, manager, content, problem):
    report = blacklist_import_csv(file=io.BytesIO(content), tenant=tenant, user=manager)

    assert report.rows == []
    assert problem in " ".join(report.problems)
    assert entries() == []


def test_a_superuser_imports_for_several_hotels_and_for_every_hotel(tenant, other_tenant, superuser):
    report = blacklist_import_csv(file=csv_file(
        "email,phone,reason,tenant",
        "a@example.com,612000111,x,hotel-sol",
        "b@example.com,(201) 555-0123,x,harbor-inn",
        "c@example.com,+34612000222,x,",
        "d@example.com,612000333,x,",
        "e@example.com,,x,no-such-hotel",
    ), tenant=None, user=superuser)

    assert [row.codes for row in report.rows] == [[], [], [], ["invalid_phone"], ["unknown_tenant"]]
    assert [(e.email, e.tenant, e.phone) for e in entries()] == [
        ("a@example.com", tenant, "+34612000111"), ("b@example.com", other_tenant, "+12015550123"),
        ("c@example.com", None, "+34612000222"),
    ]
    assert "international" in report.rows[3].problems[0].message
    assert import_events()[0].details["scope"] == "every_hotel"


def test_a_manager_cannot_import_into_another_hotel_or_for_every_hotel(tenant, other_tenant, manager):
    with pytest.raises(PermissionDenied):
        blacklist_import_csv(file=csv_file("email,reason", "a@example.com,x"), tenant=other_tenant,
                             user=manager)
    with pytest.raises(PermissionDenied):
        blacklist_import_csv(file=csv_file("email,reason", "a@example.com,x"), tenant=None, user=manager)

    assert entries() == []


def test_staff_who_are_not_managers_cannot_import(tenant):
    staff = MembershipFactory(tenant=tenant, role=TenantMembership.Role.STAFF).user

    with pytest.raises(PermissionDenied):
        blacklist_import_csv(file=csv_file("email,reason", "a@example.com,x"), tenant=tenant, user=staff)


# --- the admin screen ---------------------------------------------------------------


def upload(client, content: str, **data):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile("list.csv", content.encode()), **data})


def test_the_change_list_links_to_the_import(as_manager, tenant):
    response = as_manager.get(reverse("admin:security_blacklistentry_changelist"))

    assert IMPORT_URL in response.content.decode()


def test_a_manager_uploads_a_file_and_reads_what_happened_to_each_row(as_manager, tenant):
    response = upload(as_manager, "email,reason\nana@example.com,Ruido\nbad,Ruido\n", tenant=tenant.pk)

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 imported, 1 rejected." in page
    assert "Enter a valid email address." in page
    assert [entry.email for entry in entries()] == ["ana@example.com"]


def test_a_manager_can_only_choose_their_own_hotel(as_manager, other_tenant):
    response = upload(as_manager, "email,reason\nana@example.com,Ruido\n", tenant=other_tenant.pk)

    assert "tenant" in response.context["form"].errors
    assert list(response.context["form"].fields["tenant"].queryset) == [
        membership.tenant for membership in TenantMembership.objects.with_scopes_disabled()
        .filter(user=response.wsgi_request.user)
    ]
    assert entries() == []


def test_a_manager_must_choose_a_hotel(as_manager):
    response = upload(as_manager, "email,reason\nana@example.com,Ruido\n")

    assert "tenant" in response.context["form"].errors
    assert entries() == []


def test_staff_who_are_not_managers_do_not_get_the_import_screen(client, tenant):
    client.force_login(MembershipFactory(tenant=tenant, role=TenantMembership.Role.STAFF).user)

    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, "email,reason\nana@example.com,Ruido\n", tenant=tenant.pk).status_code == 403


def test_a_superuser_imports_for_every_hotel_from_the_screen(as_superuser, tenant):
    response = upload(
        as_superuser, "email,reason,tenant\nana@example.com,Ruido,\nluis@example.com,Ruido,hotel-sol"
    )

    assert response.status_code == 200
    assert [(entry.email, entry.tenant) for entry in entries()] == [
        ("ana@example.com", None), ("luis@example.com", tenant)
    ]


def test_an_entry_imported_now_applies_now(tenant, manager):
    in_an_hour = (timezone.now() + datetime.timedelta(hours=1)).isoformat()

    blacklist_import_csv(file=csv_file("email,reason,expires_at", f"ana@example.com,x,{in_an_hour}"),
                         tenant=tenant, user=manager)

    assert is_blacklisted(tenant=tenant, email="ana@example.com")
