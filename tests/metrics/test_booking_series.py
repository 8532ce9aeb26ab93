"""A booking is counted, and its value summed by room type and source, for the
Business dashboard's bookings and revenue panels."""
import pytest
from prometheus_client import REGISTRY

from reservations.services import reservation_create
from tests.factories import RoomTypeFactory, stay

pytestmark = pytest.mark.django_db


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0


def test_a_booking_counts_and_adds_its_total_by_room_type_and_source(
    tenant, django_capture_on_commit_callbacks
):
    RoomTypeFactory(tenant=tenant, code="suite", name="Suite", max_guests=2)
    labels = {"tenant": tenant.slug, "room_type": "suite", "source": "api"}
    booked, value = (sample("hotelagent_reservations_created_total", **labels),
                     sample("hotelagent_reservation_revenue_total", **labels, currency=tenant.currency))
    check_in, check_out = stay(nights=2, tenant=tenant)

    with django_capture_on_commit_callbacks(execute=True):  # counted once the booking commits
        reservation = reservation_create(
            tenant=tenant, room_type="suite", check_in=check_in, check_out=check_out, guests=2,
            guest_name="Ana Torres", guest_email="ana@example.com", guest_phone="+34612345678",
            source="api",
        )

    assert sample("hotelagent_reservations_created_total", **labels) == booked + 1
    assert sample("hotelagent_reservation_revenue_total", **labels, currency=tenant.currency) == (
        pytest.approx(value + float(reservation.total)))
