import pytest

from security import audit
from security.models import AuditEvent

from .pages import admin_url, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(tenant, other_tenant):
    ours = audit.record(audit.Type.AUTH_FAILURE, tenant=tenant, actor="api_key:abcd1234",
                        ip_address="198.51.100.7", resource="/api/v1/reservations/")
    theirs = audit.record(audit.Type.AUTH_FAILURE, tenant=other_tenant, actor="api_key:ffff0000")
    nobodys = audit.record(audit.Type.AUTH_FAILURE, actor="anonymous")
    return ours, theirs, nobodys


def test_manager_reads_their_hotels_events_only(as_manager, events):
    ours, _theirs, _nobodys = events

    response = as_manager.get(admin_url(AuditEvent, "changelist"))

    assert rows(response) == [ours]


def test_events_are_found_by_address(as_superuser, events):
    response = as_superuser.get(admin_url(AuditEvent, "changelist"), {"q": "198.51.100"})

    assert rows(response) == [events[0]]


def test_nobody_edits_the_trail(as_superuser, events):
    event = events[0]

    assert as_superuser.get(admin_url(AuditEvent, "add")).status_code == 403
    page = as_superuser.get(admin_url(AuditEvent, "change", event.pk))
    assert page.context["has_change_permission"] is False
    assert as_superuser.post(admin_url(AuditEvent, "delete", event.pk), {"post": "yes"}).status_code == 403


def test_actors_are_shown_by_name_without_a_query_per_event(as_manager, manager, tenant,
                                                            django_assert_max_num_queries):
    from security import audit

    manager.first_name, manager.last_name = "Marta", "Ruiz"
    manager.save()
    for _n in range(3):
        audit.record(audit.Type.DATA_MODIFICATION, tenant=tenant, action="reservation_cancelled",
                     actor=f"user:{manager.pk}", resource="reservation:HA-AAAAAA")
    audit.record(audit.Type.DATA_MODIFICATION, tenant=tenant, action="reservation_created",
                 actor="user:99999999", resource="reservation:HA-BBBBBB")
    audit.record(audit.Type.DATA_MODIFICATION, tenant=tenant, action="reservation_created",
                 actor="api_key:abc", resource="reservation:HA-CCCCCC")
    with django_assert_max_num_queries(12):
        page = as_manager.get("/admin/security/auditevent/").content.decode()
    assert page.count(f"Marta Ruiz ({manager.username})") >= 3
    assert "user:99999999" in page and "api_key:abc" in page
    assert f"<td class=\"field-actor_name\">user:{manager.pk}</td>" not in page
