"""A day's traffic for one guest and one partner, and everything in it that no
span or log line may repeat."""
import datetime
import time
import uuid

from django.conf import settings
from django_scopes import scopes_disabled

from reservations.guest.links import guest_link_token
from reservations.models import Reservation
from security.api_keys import api_key_create
from tests.factories import stay
from tests.webhooks import payloads
from tests.webhooks.graph_api import shown_text
from tests.webhooks.test_booking_over_whatsapp import es_day

GUEST_NAME = "Ana García Pérez"
GUEST_EMAIL = "ana.garcia@example.com"
PARTNER_GUEST = {"guest_name": "Beatriz Ortega Ruiz", "guest_email": "beatriz.ortega@example.com",
                 "guest_phone": "699 111 222", "special_requests": "Cuna para el bebé, gracias"}


class Guest:
    """tests/webhooks' WhatsApp guest, with message ids as opaque as Meta's (its
    own spell the phone): `says` is one signed delivery, returns the replies sent."""

    def __init__(self, meta, graph_api, *, sender: str = payloads.GUEST, name: str = "Ana"):
        self.meta, self.graph_api, self.sender, self.name = meta, graph_api, sender, name
        self.clock = int(time.time())

    def says(self, body: str) -> str:
        already_sent = len(self.graph_api.requests)
        self.clock += 5
        message = payloads.text(f"wamid.{uuid.uuid4().hex}", body, sender=self.sender, timestamp=self.clock)
        delivery = payloads.delivery(payloads.change(
            payloads.SOL_NUMBER_ID, messages=[message], sender=self.sender, name=self.name))
        assert payloads.post(self.meta, delivery).status_code == 200
        return "\n".join(shown_text(sent["json"]) for sent in self.graph_api.requests[already_sent:])


def book_over_whatsapp(meta, graph_api, hotel) -> list[str]:
    """Hola to reservation code, as tests/webhooks/test_booking_over_whatsapp.py;
    returns what the guest said."""
    ana = Guest(meta, graph_api)
    check_in = hotel.local_today() + datetime.timedelta(days=14)
    said = ["Hola, quiero reservar una habitación",
            f"del {es_day(check_in)} al {es_day(check_in + datetime.timedelta(days=3))} para dos personas",
            "la estándar", GUEST_NAME, GUEST_EMAIL, "sí, confirma"]
    replies = [ana.says(text) for text in said]
    assert "Tu código es" in replies[-1]
    return said


def book_through_the_api(client, hotel) -> str:
    """A partner's booking with the hotel's API key; returns the key."""
    key = api_key_create(tenant=hotel, name="partner")[1]
    check_in, check_out = stay(days_ahead=30, tenant=hotel)
    response = client.post("/api/v1/reservations/", data={
        "check_in": check_in.isoformat(), "check_out": check_out.isoformat(), "room_type": "standard",
        "guests": 2, **PARTNER_GUEST,
    }, content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert response.status_code == 201, response.content
    return key


def open_guest_link(client) -> str:
    """The WhatsApp guest opens their reservation's page; returns the link's token."""
    with scopes_disabled():
        reservation = Reservation.objects.get(guest_email=GUEST_EMAIL)
    token = guest_link_token(reservation)
    assert client.get(f"/r/{token}/").status_code == 200
    return token


def secrets_and_guest_data(said: list[str], *extra: str) -> list[str]:
    """What must never appear: the guests' names, emails, phones, words, and every secret."""
    return [
        *said, "García", "ana.garcia", payloads.GUEST[2:], *PARTNER_GUEST.values(), "Ortega", "699111222",
        "beatriz.ortega", settings.WHATSAPP_ACCESS_TOKEN, settings.WHATSAPP_APP_SECRET, settings.SECRET_KEY,
        *extra,
    ]
