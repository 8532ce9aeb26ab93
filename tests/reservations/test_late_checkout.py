"""Late check-out: the guest asks through the agent, staff of that hotel decide."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from reservations.models import LateCheckoutRequest, Reservation
from reservations.services import reservation_cancel, reservation_create
from reservations.services.late_checkout import late_checkout_request_create, late_checkout_request_decide
from security.models import AuditEvent
from tenants.models import TenantMembership
from tests.admin.pages import admin_url, messages_of, rows
from tests.factories import MembershipFactory, RoomTypeFactory, stay

pytestmark = pytest.mark.django_db
NOON, ONE_PM = datetime.time(12, 0), datetime.time(13, 0)


def book(tenant, room_type="standard", **overrides):
    check_in, check_out = stay(tenant=tenant)
    fields = dict(room_type=room_type, check_in=check_in, check_out=check_out, guests=2,
                  guest_name="Ana García", guest_email="ana@example.com", guest_phone="612345678",
                  source="whatsapp")
    return reservation_create(tenant=tenant, **{**fields, **overrides})


@pytest.fixture
def reservation(tenant, standard):
    return book(tenant)


@pytest.fixture
def theirs(other_tenant):
    RoomTypeFactory(tenant=other_tenant, code="standard", name="Harbor Standard")
    return book(other_tenant, guest_phone="+12125550123")


@pytest.fixture
def as_staff(client, tenant):
    user = MembershipFactory(tenant=tenant, role=TenantMembership.Role.STAFF).user
    client.force_login(user)
    client.user = user
    return client


def audit_actions():
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action__startswith="late_checkout").order_by("id")
                    .values_list("action", "actor", "resource"))


def all_requests():
    with scopes_disabled():
        return list(LateCheckoutRequest.objects.order_by("id"))


def test_a_request_is_stored_pending_and_audited(reservation):
    request = late_checkout_request_create(reservation=reservation, requested_until=NOON, actor="guest:346")

    assert (request.status, request.requested_until, request.tenant) == ("pending", NOON, reservation.tenant)
    assert audit_actions() == [("late_checkout_requested", "guest:346", f"reservation:{reservation.code}")]


def test_asking_again_updates_the_pending_request(reservation):
    first = late_checkout_request_create(reservation=reservation, requested_until=NOON, actor="guest:1")
    second = late_checkout_request_create(reservation=reservation, requested_until=ONE_PM, actor="guest:1")

    assert second.pk == first.pk
    assert [(r.requested_until, r.status) for r in all_requests()] == [(ONE_PM, "pending")]
    assert [action for action, *_ in audit_actions()] == ["late_checkout_requested", "late_checkout_updated"]
    with scopes_disabled():
        updated = AuditEvent.objects.get(action="late_checkout_updated")
    assert updated.details["previous_until"] == "12:00"
    assert updated.details["requested_until"] == "13:00"


def test_a_request_without_a_time_is_kept(reservation):
    assert late_checkout_request_create(reservation=reservation, requested_until=None, actor="guest:1") \
        .requested_until is None


def test_after_a_decision_a_new_request_waits_again(reservation):
    first = late_checkout_request_create(reservation=reservation, requested_until=NOON, actor="guest:1")
    late_checkout_request_decide(request=first, approve=False, actor="user:1")

    again = late_checkout_request_create(reservation=reservation, requested_until=ONE_PM, actor="guest:1")

    assert again.pk != first.pk
    assert [r.status for r in all_requests()] == ["declined", "pending"]


def test_a_cancelled_reservation_cannot_ask(tenant, reservation):
    reservation_cancel(tenant=tenant, code=reservation.code, source="api")
    reservation.refresh_from_db()

    with pytest.raises(ValidationError):
        late_checkout_request_create(reservation=reservation, requested_until=NOON, actor="guest:1")
    assert all_requests() == []
    assert audit_actions() == []


def test_deciding_twice_changes_nothing(reservation):
    request = late_checkout_request_create(reservation=reservation, requested_until=NOON, actor="guest:1")

    assert late_checkout_request_decide(request=request, approve=True, actor="user:1") is True
    assert late_checkout_request_decide(request=request, approve=False, actor="user:1") is False
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_at is not None


def decide(client, action, *requests):
    return client.post(admin_url(LateCheckoutRequest, "changelist"), {
        "action": action, "_selected_action": [r.pk for r in requests],
    }, follow=True, REMOTE_ADDR="203.0.113.9")


def test_staff_see_only_their_hotels_requests(as_staff, reservation, theirs):
    ours = late_checkout_request_create(reservation=reservation, requested_until=NOON, actor="guest:1")
    late_checkout_request_create(reservation=theirs, requested_until=NOON, actor="guest:2")

    response = as_staff.get(admin_url(LateCheckoutRequest, "changelist"))

    assert response.status_code == 200
    assert rows(response) == [ours]
    assert reservation.code in response.content.decode() and theirs.code not in response.content.decode()


def test_staff_approve_from_the_list_and_it_is_audited(as_staff, reservation):
    request = late_checkout_request_create(reservation=reservation, requested_until=NOON, actor="guest:1")

    response = decide(as_staff, "approve_selected", request)

    assert "1 late check-out approved." in messages_of(response)
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", as_staff.user)
    with scopes_disabled():
        event = AuditEvent.objects.get(action="late_checkout_approved")
    assert (event.actor, event.ip_address, event.tenant_id) == (
        f"user:{as_staff.user.pk}", "203.0.113.9", reservation.tenant_id)


def test_staff_decline(as_staff, reservation):
    request = late_checkout_request_create(reservation=reservation, requested_until=None, actor="guest:1")

    assert "1 late check-out declined." in messages_of(decide(as_staff, "decline_selected", request))
    request.refresh_from_db()
    assert request.status == "declined"


def test_another_hotels_request_cannot_be_decided(as_staff, theirs):
    request = late_checkout_request_create(reservation=theirs, requested_until=NOON, actor="guest:2")

    decide(as_staff, "approve_selected", request)

    request.refresh_from_db()
    assert request.status == "pending"
    assert "late_checkout_approved" not in [action for action, *_ in audit_actions()]


def test_requests_are_not_added_or_edited_by_hand(as_staff, reservation):
    request = late_checkout_request_create(reservation=reservation, requested_until=NOON, actor="guest:1")

    assert as_staff.get(admin_url(LateCheckoutRequest, "add")).status_code == 403
    page = as_staff.get(admin_url(LateCheckoutRequest, "change", request.pk))
    assert page.status_code == 200
    assert 'name="requested_until"' not in page.content.decode()
    with scopes_disabled():
        assert Reservation.objects.get(pk=reservation.pk).status == "confirmed"
