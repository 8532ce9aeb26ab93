"""Hotel Sol's API key never reads or writes Harbor Inn's data, through any
operation of the API.

Harbor Inn has a room type with the same code as Sol's ("standard") and one of
its own ("harbor-view"), a reservation, a web-chat guest and its own key. Every
operation the schema publishes is called as Sol and must not show a trace of
Harbor Inn; the operations taking a reservation code must answer Harbor's code
exactly like an unknown one and leave it untouched. A new operation fails
`test_every_operation_of_the_api_is_tried` until it is added here."""
import datetime

import pytest
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from reservations.models import NightlyInventory, Reservation
from reservations.services import reservation_create
from security.api_keys import api_key_create
from security.models import AuditEvent
from tests.factories import RoomTypeFactory, stay
from webhooks.models import Conversation, InboundMessage

pytestmark = pytest.mark.django_db

RESERVATIONS = "/api/v1/reservations/"
MESSAGES = "/api/v1/messages/"
HARBOR = "harbor"  # in every name and address of Harbor Inn's data
UNKNOWN_CODE = "HA-ZZZZZZ"


def client_for(tenant) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_create(tenant=tenant, name='isolation')[1]}")
    return client


@pytest.fixture
def sol(tenant, standard):
    return client_for(tenant)


@pytest.fixture
def harbor(other_tenant):
    """Harbor Inn's key, its two room types and a reservation of its guest."""
    RoomTypeFactory(tenant=other_tenant, code="standard", name="Harbor Standard", max_guests=2)
    RoomTypeFactory(tenant=other_tenant, code="harbor-view", name="Harbor View", max_guests=2)
    check_in, check_out = stay(tenant=other_tenant)
    reservation = reservation_create(
        tenant=other_tenant, room_type="harbor-view", check_in=check_in, check_out=check_out, guests=2,
        guest_name="Harbor Guest", guest_email="harbor.guest@example.com", guest_phone="+12125550123",
        source="api",
    )
    client = client_for(other_tenant)
    client.post(MESSAGES, {"sender": "visitor-7", "text": "Hello", "message_id": "m-1"}, format="json")
    return client, reservation


def booking(tenant, room_type="standard", **changes) -> dict:
    check_in, check_out = stay(tenant=tenant)
    return {
        "check_in": check_in.isoformat(), "check_out": check_out.isoformat(), "room_type": room_type,
        "guest_name": "Ana García", "guest_email": "ana@example.com", "guest_phone": "+34 612 345 678",
        "guests": 2, **changes,
    }


def everything_of(hotel) -> dict:
    """Every reservation, night of inventory, conversation and audit event of the hotel."""
    with scopes_disabled():
        return {
            model.__name__: sorted(
                tuple(getattr(row, field.attname) for field in model._meta.concrete_fields)
                for row in model.objects.filter(**{lookup: hotel})
            )
            for model, lookup in (
                (Reservation, "tenant"), (NightlyInventory, "room_type__tenant"), (Conversation, "tenant"),
                (InboundMessage, "tenant"), (AuditEvent, "tenant"),
            )
        }


def as_sol(operation_id: str, sol, tenant, code: str):
    """A request a client of Sol's could send to the operation."""
    today = tenant.local_today()
    return {
        "availability": lambda: sol.get("/api/v1/availability/", {
            "check_in": today + datetime.timedelta(days=10), "check_out": today + datetime.timedelta(days=12),
            "guests": 2,
        }),
        "reservations_list": lambda: sol.get(RESERVATIONS),
        "reservation_create": lambda: sol.post(RESERVATIONS, booking(tenant), format="json"),
        "reservation_retrieve": lambda: sol.get(f"{RESERVATIONS}{code}/"),
        "reservation_cancel": lambda: sol.post(f"{RESERVATIONS}{code}/cancel/"),
        "reservation_change": lambda: sol.patch(f"{RESERVATIONS}{code}/", {"special_requests": "Quiet"},
                                                format="json"),
        "message_create": lambda: sol.post(MESSAGES, {"sender": "visitor-7", "text": "Hola"}, format="json"),
    }[operation_id]()


def operations() -> dict[str, tuple[str, str]]:
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    return {
        operation["operationId"]: (method, path)
        for path, methods in schema["paths"].items() for method, operation in methods.items()
    }


def test_every_operation_of_the_api_is_tried(db):
    assert set(operations()) == {
        "availability", "reservations_list", "reservation_create", "reservation_retrieve",
        "reservation_cancel", "reservation_change", "message_create",
    }


def test_no_answer_to_sol_shows_anything_of_harbor_inn(sol, tenant, harbor):
    ours = reservation_create(tenant=tenant, source="api", **{
        **booking(tenant), "check_in": stay(tenant=tenant)[0], "check_out": stay(tenant=tenant)[1],
    })

    for operation_id in operations():
        response = as_sol(operation_id, sol, tenant, ours.code)
        assert response.status_code in (200, 201), (operation_id, response.content)
        assert HARBOR not in response.content.decode().lower(), operation_id


@pytest.mark.parametrize("operation_id", ["reservation_retrieve", "reservation_cancel", "reservation_change"])
def test_harbors_code_answers_like_an_unknown_one_and_stays_as_it_was(sol, tenant, harbor, other_tenant,
                                                                      operation_id):
    _client, theirs = harbor
    method, path = operations()[operation_id]
    before = everything_of(other_tenant)

    answer = getattr(sol, method)(path.replace("{code}", theirs.code))
    unknown = getattr(sol, method)(path.replace("{code}", UNKNOWN_CODE))

    assert answer.status_code == unknown.status_code == 404
    assert answer.json() == unknown.json()
    assert everything_of(other_tenant) == before


def test_availability_offers_only_sols_room_types(sol, tenant, harbor):
    check_in, check_out = stay(tenant=tenant)

    offered = sol.get("/api/v1/availability/", {"check_in": check_in, "check_out": check_out, "guests": 2})
    theirs = sol.get("/api/v1/availability/", {
        "check_in": check_in, "check_out": check_out, "guests": 2, "room_type": "harbor-view",
    })

    assert [(offer["code"], offer["name"]) for offer in offered.json()["room_types"]] == [
        ("standard", "Standard")
    ]
    assert theirs.status_code == 400
    assert list(theirs.json()) == ["room_type"]


def test_the_list_and_its_filters_never_reach_harbor_inn(sol, harbor):
    assert sol.get(RESERVATIONS).json()["count"] == 0
    assert sol.get(RESERVATIONS, {"guest_email": "harbor.guest@example.com"}).json()["count"] == 0
    assert sol.get(RESERVATIONS, {"status": "confirmed"}).json()["count"] == 0


def test_booking_harbors_room_type_is_a_field_error_and_books_nothing(sol, tenant, harbor, other_tenant):
    before = everything_of(other_tenant)

    response = sol.post(RESERVATIONS, booking(tenant, room_type="harbor-view"), format="json")

    assert response.status_code == 400
    assert "room_type" in response.json()
    assert everything_of(other_tenant) == before
    assert not Reservation.objects.with_scope(tenant=tenant).exists()


def test_a_room_type_code_both_hotels_use_books_sols_own_rooms(sol, tenant, standard, harbor, other_tenant):
    before = everything_of(other_tenant)

    response = sol.post(RESERVATIONS, booking(tenant), format="json")

    assert response.status_code == 201
    assert (response.json()["room_type"], response.json()["currency"]) == ("standard", "EUR")
    assert Reservation.objects.with_scope(tenant=tenant).get().room_type == standard
    assert everything_of(other_tenant)["NightlyInventory"] == before["NightlyInventory"]


def test_an_idempotency_key_harbor_used_is_a_new_key_for_sol(sol, tenant, harbor, other_tenant):
    harbor_client, _theirs = harbor
    harbors = harbor_client.post(RESERVATIONS, booking(other_tenant), format="json",
                                 headers={"Idempotency-Key": "order-1"})

    ours = sol.post(RESERVATIONS, booking(tenant), format="json", headers={"Idempotency-Key": "order-1"})

    assert harbors.status_code == ours.status_code == 201
    assert "Idempotent-Replayed" not in ours.headers
    assert ours.json()["code"] != harbors.json()["code"]
    assert Reservation.objects.with_scope(tenant=tenant).get().code == ours.json()["code"]


def test_the_same_web_chat_guest_talks_to_each_hotel_in_its_own_conversation(sol, tenant, harbor,
                                                                             other_tenant):
    before = everything_of(other_tenant)["Conversation"]

    reply = sol.post(MESSAGES, {"sender": "visitor-7", "text": "Hola"}, format="json").json()

    ours = Conversation.objects.with_scope(tenant=tenant).get(guest_id="visitor-7")
    assert reply["conversation"] == str(ours.pk)
    assert "Hotel Sol" in reply["reply"] and HARBOR not in reply["reply"].lower()
    assert everything_of(other_tenant)["Conversation"] == before


def test_a_message_id_harbor_used_is_not_replayed_to_sol(sol, tenant, harbor):
    reply = sol.post(MESSAGES, {"sender": "visitor-7", "text": "Hola", "message_id": "m-1"}, format="json")

    assert reply.status_code == 200
    assert "Hotel Sol" in reply.json()["reply"]
    assert InboundMessage.objects.with_scope(tenant=tenant).get().external_id == "m-1"
