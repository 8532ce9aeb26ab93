"""How each way QloApps can fail reaches the code above: reads are retried,
bookings are not, and every failure ends as PMSUnavailable (counted by the
breaker) or PMSRejected (the request's own fault, not counted)."""
import pytest

from reservations.errors import PMSRejected
from reservations.pms import get_adapter
from reservations.pms.breaker import breaker_for
from reservations.pms.errors import PMSCallFailed, PMSNotConfigured
from reservations.rules import BookingRequest
from reservations.selectors import room_types_for
from tests.factories import stay

pytestmark = pytest.mark.django_db


def search(tenant):
    check_in, check_out = stay(tenant=tenant)
    return get_adapter(tenant).check_availability(
        tenant=tenant, room_types=list(room_types_for(tenant=tenant)), check_in=check_in, check_out=check_out
    )


@pytest.mark.parametrize("kind", ["status", "drop", "garbage"])
def test_a_read_that_fails_once_is_retried(qlo_hotel, qlo, kind):
    qlo.misbehave(kind, path="/api/hotel_ari")

    offers = search(qlo_hotel)

    assert len(next(iter(offers.values()))) == 2
    assert qlo.paths() == ["/api/hotel_ari", "/api/hotel_ari"]


@pytest.mark.parametrize(("kind", "options"), [
    ("status", {"status": 500}), ("status", {"status": 503}), ("status", {"status": 401}),
    ("drop", {}), ("garbage", {}), ("slow", {"seconds": 1.0}),
])
def test_a_read_that_keeps_failing_is_unavailable_and_counted(qlo_hotel, qlo, kind, options):
    qlo.misbehave(kind, path="/api/hotel_ari", times=2, **options)

    with pytest.raises(PMSCallFailed):
        search(qlo_hotel)

    assert breaker_for(qlo_hotel, "hotel_ari").failures == 2


def test_a_refused_request_is_not_retried_nor_counted(qlo_hotel, qlo):
    qlo.misbehave("status", path="/api/hotel_ari", status=400)

    with pytest.raises(PMSRejected):
        search(qlo_hotel)

    assert len(qlo.requests) == 1
    assert breaker_for(qlo_hotel, "hotel_ari").failures == 0


def test_a_failed_booking_is_not_retried(qlo_hotel, qlo):
    qlo.misbehave("status", path="/api/bookings", status=502)
    check_in, check_out = stay(tenant=qlo_hotel)
    booking = BookingRequest(
        check_in=check_in, check_out=check_out, room_type_code="standard", guests=2, guest_name="Ana García",
        guest_email="ana@example.com", guest_phone="+34612345678", special_requests="",
    )

    with pytest.raises(PMSCallFailed):
        get_adapter(qlo_hotel).create_reservation(
            tenant=qlo_hotel, room_type=room_types_for(tenant=qlo_hotel).get(), check_in=check_in,
            check_out=check_out,
            booking=booking, client_reference="ref-1",
        )

    assert qlo.paths("POST").count("/api/bookings") == 1


def test_a_hotel_without_its_webservice_key_is_not_configured(qlo_hotel, settings):
    settings.PMS_WEBSERVICE_KEYS = {}

    with pytest.raises(PMSNotConfigured):
        search(qlo_hotel)
