"""The audit trail's admin screen: filter, search, read, export and verify, each
hotel's managers seeing only their hotel's events."""
import csv
import datetime
import io
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from security import audit
from security.models import AuditEvent
from tenants.models import TenantMembership
from tests.admin.pages import admin_url, messages_of, rows
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("admin:security_auditevent_export")


def on(day: str, **event) -> AuditEvent:
    """An event recorded at noon UTC on `day`."""
    noon = datetime.datetime.fromisoformat(f"{day}T12:00:00+00:00")
    with mock.patch.object(timezone, "now", return_value=noon):
        return audit.record(**event)


@pytest.fixture
def trail(tenant, other_tenant):
    return {
        "login": on("2026-03-01", event_type=audit.Type.AUTH_FAILURE, tenant=tenant, actor="api_key:abcd1234",
                    ip_address="198.51.100.7", resource="/api/v1/reservations/"),
        "booking": on("2026-03-02", event_type=audit.Type.DATA_MODIFICATION, tenant=tenant, actor="user:5",
                      resource="reservation:HA-ABC123", details={"total": "180.00", "nights": 2}),
        "cancel": on("2026-03-04", event_type=audit.Type.DATA_MODIFICATION, tenant=tenant, actor="user:5",
                     resource="reservation:HA-ABC123"),
        "theirs": on("2026-03-02", event_type=audit.Type.DATA_MODIFICATION, tenant=other_tenant,
                     actor="user:9", ip_address="198.51.100.7", resource="=HYPERLINK(\"http://evil\")"),
    }


def listed(client, **params) -> list[AuditEvent]:
    return rows(client.get(admin_url(AuditEvent, "changelist"), params))


def exported(client, **params) -> list[dict]:
    response = client.get(EXPORT, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_events_are_filtered_by_type(as_manager, trail):
    modifications = listed(as_manager, event_type__exact="DATA_MODIFICATION")

    assert modifications == [trail["cancel"], trail["booking"]]


def test_events_are_filtered_by_hotel(as_superuser, trail, other_tenant):
    assert listed(as_superuser, tenant__id__exact=other_tenant.pk) == [trail["theirs"]]


def test_events_are_filtered_by_a_date_range_both_days_included(as_manager, trail):
    assert listed(as_manager, created_from="2026-03-02", created_to="2026-03-04") == [
        trail["cancel"], trail["booking"]
    ]
    assert listed(as_manager, created_from="2026-03-03") == [trail["cancel"]]
    assert listed(as_manager, created_to="2026-03-01") == [trail["login"]]


def test_a_malformed_date_is_reported_not_crashed(as_manager, trail):
    response = as_manager.get(admin_url(AuditEvent, "changelist"), {"created_from": "yesterday"})

    assert response.status_code == 302 and "e=1" in response["Location"]


@pytest.mark.parametrize("query, expected", [
    ("198.51.100", "login"), ("api_key:abcd", "login"), ("HA-ABC123", "booking"),
])
def test_events_are_found_by_address_actor_or_resource(as_manager, trail, query, expected):
    assert trail[expected] in listed(as_manager, q=query)
    assert trail["theirs"] not in listed(as_manager, q=query)


def test_the_detail_page_shows_the_details_and_the_chain(as_manager, trail):
    event = trail["booking"]

    page = as_manager.get(admin_url(AuditEvent, "change", event.pk)).content.decode()

    assert "<pre>{\n  &quot;nights&quot;: 2,\n  &quot;total&quot;: &quot;180.00&quot;\n}</pre>" in page
    assert event.hash in page and event.prev_hash in page and event.chain in page


def test_the_export_is_the_filtered_list_as_csv(as_manager, trail, tenant):
    lines = exported(as_manager, event_type__exact="DATA_MODIFICATION")

    assert [(line["id"], line["tenant"], line["resource"]) for line in lines] == [
        (str(trail["cancel"].pk), tenant.slug, "reservation:HA-ABC123"),
        (str(trail["booking"].pk), tenant.slug, "reservation:HA-ABC123"),
    ]
    booking = lines[1]
    assert booking["details"] == '{"nights": 2, "total": "180.00"}'
    assert (booking["sequence"], booking["hash"]) == ("2", trail["booking"].hash)
    assert booking["created_at"] == "2026-03-02T12:00:00+00:00"


def test_the_export_cannot_be_read_as_a_spreadsheet_formula(as_superuser, trail, other_tenant):
    [line] = exported(as_superuser, tenant__id__exact=other_tenant.pk)

    assert line["resource"] == "'=HYPERLINK(\"http://evil\")"


def test_a_manager_never_sees_or_exports_another_hotels_events(as_manager, trail, other_tenant):
    assert trail["theirs"] not in listed(as_manager)
    assert as_manager.get(admin_url(AuditEvent, "change", trail["theirs"].pk)).status_code == 302
    assert {line["id"] for line in exported(as_manager)} == {
        str(trail[name].pk) for name in ("login", "booking", "cancel")
    }
    assert exported(as_manager, tenant__id__exact=other_tenant.pk) == []


def test_staff_without_the_manager_role_cannot_export(client, tenant, trail):
    client.force_login(MembershipFactory(tenant=tenant, role=TenantMembership.Role.STAFF).user)

    assert client.get(EXPORT).status_code == 403


def verify(client, *events):
    return messages_of(client.post(admin_url(AuditEvent, "changelist"), {
        "action": "verify_chains", "_selected_action": [event.pk for event in events],
    }, follow=True))


def test_verifying_an_intact_chain_says_so(as_manager, trail):
    assert verify(as_manager, trail["login"]) == [
        "1 audit chain verified (3 events): nothing was changed, removed or reordered."
    ]


def test_verifying_a_tampered_chain_names_the_event(as_manager, trail, tamper):
    with tamper() as events:
        events.filter(pk=trail["booking"].pk).update(actor="user:6")

    [message] = verify(as_manager, trail["cancel"])

    booking = trail["booking"]
    assert message.startswith(f"The audit chain {booking.chain} is broken at event {booking.pk}")
    assert "changed" in message


def test_nobody_adds_changes_or_deletes_events(as_superuser, trail):
    event = trail["login"]

    assert as_superuser.get(admin_url(AuditEvent, "add")).status_code == 403
    assert as_superuser.post(admin_url(AuditEvent, "change", event.pk), {"actor": "x"}).status_code == 403
    assert as_superuser.post(admin_url(AuditEvent, "delete", event.pk), {"post": "yes"}).status_code == 403
