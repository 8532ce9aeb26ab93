"""A hotel's managers see its PMS circuits on the hotel page and can close them."""
import pytest

from reservations.models import RoomType
from reservations.pms.breaker import State, breaker_for
from reservations.pms.errors import PMSCallFailed
from security.models import AuditEvent
from tenants.models import Tenant, TenantMembership
from tests.admin.pages import admin_url, messages_of
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, qlo_hotel):
    client.force_login(MembershipFactory(tenant=qlo_hotel, role=TenantMembership.Role.MANAGER).user)
    return client


@pytest.fixture
def staff_client(client, qlo_hotel):
    client.force_login(MembershipFactory(tenant=qlo_hotel, role=TenantMembership.Role.STAFF).user)
    return client


def open_circuit(tenant, endpoint="hotel_ari"):
    breaker = breaker_for(tenant, endpoint, failure_threshold=1)
    breaker.before_call()
    breaker.record_failure(error=PMSCallFailed("timeout"))


def test_the_hotel_page_shows_each_endpoints_circuit(manager_client, qlo_hotel):
    open_circuit(qlo_hotel)

    page = manager_client.get(admin_url(Tenant, "change", qlo_hotel.pk)).content.decode()

    assert "PMS circuit breaker" in page
    assert "hotel_ari: open (trial call in 30s)" in page
    assert "bookings: closed" in page


def test_a_manager_resets_the_circuit_and_it_is_audited(manager_client, qlo_hotel,
                                                        django_capture_on_commit_callbacks):
    open_circuit(qlo_hotel)

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(admin_url(Tenant, "changelist"), {
            "action": "reset_pms_circuit", "_selected_action": [qlo_hotel.pk],
        }, follow=True)

    assert "1 PMS circuit closed." in messages_of(response)
    assert breaker_for(qlo_hotel, "hotel_ari").state == State.CLOSED
    reset = AuditEvent.objects.with_scope(tenant=qlo_hotel).get(action="pms_circuit_reset")
    assert (reset.event_type, reset.actor, reset.details["previous"]) == (
        "CONFIGURATION", f"user:{response.wsgi_request.user.pk}", "open"
    )


def test_staff_cannot_reset_it(staff_client, qlo_hotel):
    open_circuit(qlo_hotel)

    staff_client.post(admin_url(Tenant, "changelist"), {
        "action": "reset_pms_circuit", "_selected_action": [qlo_hotel.pk],
    })

    assert breaker_for(qlo_hotel, "hotel_ari").state == State.OPEN


def test_the_room_type_form_maps_it_to_its_qloapps_id(manager_client, qlo_hotel):
    room_type = RoomType.objects.with_scope(tenant=qlo_hotel).get()

    form = manager_client.get(admin_url(RoomType, "change", room_type.pk)).context["adminform"].form

    assert form["pms_room_type_id"].value() == "11"
