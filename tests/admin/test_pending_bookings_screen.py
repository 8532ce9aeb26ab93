import pytest
from django_scopes import scopes_disabled

from reservations.models import PendingBooking

from .pages import admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(tenant):
    with scopes_disabled():
        return PendingBooking.objects.create(
            tenant=tenant, client_reference="ref-outage-1", source="whatsapp",
            request={"room_type": "standard", "guest_name": "Ana García"},
        )


def test_staff_see_bookings_waiting_for_the_pms(as_staff, waiting):
    response = as_staff.get(admin_url(PendingBooking, "changelist"))

    assert response.status_code == 200
    assert "ref-outage-1" in response.content.decode()


def test_pending_bookings_cannot_be_edited_by_hand(as_manager, waiting):
    response = as_manager.post(admin_url(PendingBooking, "change", waiting.pk), {"status": "confirmed"})

    with scopes_disabled():
        waiting.refresh_from_db()
    assert response.status_code == 403
    assert waiting.status == PendingBooking.Status.PENDING
