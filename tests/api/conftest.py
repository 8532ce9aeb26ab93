import pytest
from rest_framework.test import APIClient

from security.api_keys import api_key_create
from tests.factories import RoomTypeFactory, stay

RESERVATIONS = "/api/v1/reservations/"


@pytest.fixture
def other_api(other_tenant):
    """An API client authenticated as `other_tenant` (Harbor Inn: New York, English, USD)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_create(tenant=other_tenant, name='tests')[1]}")
    return client


@pytest.fixture
def harbor_standard(other_tenant):
    return RoomTypeFactory(tenant=other_tenant, code="standard", name="Standard", max_guests=2)


@pytest.fixture
def harbor_payload(other_tenant, harbor_standard):
    check_in, check_out = stay(tenant=other_tenant)
    return {
        "check_in": check_in.isoformat(), "check_out": check_out.isoformat(), "room_type": "standard",
        "guest_name": "John Smith", "guest_email": "john@example.com", "guest_phone": "(201) 555-0123",
        "guests": 2,
    }


@pytest.fixture
def book(api, booking_payload):
    """POST a booking as the `tenant` hotel: booking_payload with some fields changed."""

    def book(client=api, headers=None, **changes):
        return client.post(RESERVATIONS, {**booking_payload, **changes}, format="json", headers=headers)

    return book


@pytest.fixture
def harbor_booking(other_api, harbor_payload):
    """A reservation of the other hotel, made with its own key."""
    response = other_api.post(RESERVATIONS, harbor_payload, format="json")
    assert response.status_code == 201, response.json()
    return response.json()
