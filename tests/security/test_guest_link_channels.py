"""Guests get their link where they book: in the API's answer and the agent's confirmation."""
import pytest
from django.test import override_settings
from django_scopes import scopes_disabled

from reservations.guest.links import reservation_for_token
from reservations.models import Reservation
from tests.factories import stay
from webhooks.agent import respond
from webhooks.models import Conversation

pytestmark = pytest.mark.django_db


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def test_a_booking_through_the_api_answers_with_the_guest_link(api, booking_payload):
    body = api.post("/api/v1/reservations/", booking_payload, format="json").json()

    assert body["guest_link"].startswith("http://testserver/r/")
    assert reservation_for_token(token_of(body["guest_link"])).code == body["code"]


def test_reading_a_reservation_gives_its_link_too(api, booking_payload):
    code = api.post("/api/v1/reservations/", booking_payload, format="json").json()["code"]

    detail = api.get(f"/api/v1/reservations/{code}/").json()
    [listed] = api.get("/api/v1/reservations/").json()["results"]

    assert reservation_for_token(token_of(detail["guest_link"])).code == code
    assert reservation_for_token(token_of(listed["guest_link"])).code == code


def test_the_link_from_the_api_opens_the_page(api, client, booking_payload):
    link = api.post("/api/v1/reservations/", booking_payload, format="json").json()["guest_link"]

    assert client.get(link).status_code == 200


@override_settings(PUBLIC_BASE_URL="https://reservas.hotelsol.example")
def test_the_agent_confirms_a_booking_with_the_guest_link(tenant, standard):
    check_in, check_out = stay(tenant=tenant)
    conversation = Conversation.objects.create(
        tenant=tenant, channel="whatsapp", guest_id="34612345678", guest_phone="+34612345678",
        language="es", state="confirm_booking",
        slots={"check_in": check_in.isoformat(), "check_out": check_out.isoformat(), "guests": 2,
               "room_type": "standard", "guest_name": "Ana García", "guest_email": "ana@example.com"},
    )

    [booked] = respond(conversation=conversation, text="sí")

    with scopes_disabled():
        reservation = Reservation.objects.get()
    [url] = [word for word in booked.split() if word.startswith("https://reservas.hotelsol.example/r/")]
    assert "Consúltala o cancélala en línea" in booked
    assert reservation_for_token(token_of(url)) == reservation
