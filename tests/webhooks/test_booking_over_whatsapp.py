"""A guest books a room over WhatsApp from "hola" to the reservation code, every
message a signed Cloud API delivery and every reply a request to the (local) Graph API."""
import datetime
import itertools
import time

import pytest
from babel.dates import format_date
from django_scopes import scopes_disabled

from reservations.models import Reservation
from tests.factories import ChannelAccountFactory, RoomTypeFactory
from webhooks.models import Conversation

from . import payloads
from .graph_api import shown_text

pytestmark = pytest.mark.django_db

US_GUEST = "16175550199"


def es_day(day: datetime.date) -> str:
    return format_date(day, "d MMMM", locale="es")  # "9 diciembre": the year is implied


def en_day(day: datetime.date) -> str:
    return format_date(day, "MMMM d", locale="en")  # "December 15"


class WhatsAppGuest:
    """A guest's phone: each `says` is one webhook delivery from Meta; it returns
    the replies the hotel sent back through the Graph API for that message."""

    def __init__(self, meta, graph_api, *, number_id: str, sender: str, name: str):
        self.meta, self.graph_api = meta, graph_api
        self.number_id, self.sender, self.name = number_id, sender, name
        self.wamids = itertools.count(1)
        self.clock = int(time.time())

    def says(self, body: str) -> str:
        already_sent = len(self.graph_api.requests)
        self.clock += 5
        message = payloads.text(f"wamid.{self.sender}.{next(self.wamids)}", body, sender=self.sender,
                                timestamp=self.clock)
        delivery = payloads.delivery(payloads.change(
            self.number_id, messages=[message], sender=self.sender, name=self.name,
        ))
        assert payloads.post(self.meta, delivery).status_code == 200
        new = self.graph_api.requests[already_sent:]
        assert {request["json"]["to"] for request in new} == {self.sender}
        return "\n".join(shown_text(request["json"]) for request in new)


def test_spanish_guest_books_at_hotel_sol(meta, graph_api, hotel_sol):
    ana = WhatsAppGuest(meta, graph_api, number_id=payloads.SOL_NUMBER_ID, sender=payloads.GUEST, name="Ana")
    check_in = hotel_sol.local_today() + datetime.timedelta(days=14)
    check_out = check_in + datetime.timedelta(days=3)

    assert "¿Para qué fechas?" in ana.says("Hola, quiero reservar una habitación")
    rooms = ana.says(f"del {es_day(check_in)} al {es_day(check_out)} para dos personas")
    assert "Estándar (hasta 2 personas)" in rooms
    assert "¿A nombre de quién" in ana.says("la estándar")
    assert "email" in ana.says("Ana García Pérez")
    summary = ana.says("ana.garcia@example.com")
    assert "Teléfono: +34612345678" in summary  # taken from WhatsApp, not asked
    confirmation = ana.says("sí, confirma")

    with scopes_disabled():
        reservation = Reservation.objects.get()
    assert f"Tu código es {reservation.code}" in confirmation
    assert graph_api.sent_texts[-1] == confirmation
    assert reservation.source == "whatsapp"
    assert (reservation.check_in, reservation.check_out) == (check_in, check_out)
    assert (reservation.guest_name, reservation.guest_phone) == ("Ana García Pérez", "+34612345678")
    assert reservation.tenant == hotel_sol


def test_english_guest_books_at_harbor_inn(meta, graph_api, other_tenant):
    ChannelAccountFactory(tenant=other_tenant, external_id=payloads.HARBOR_NUMBER_ID)
    RoomTypeFactory(tenant=other_tenant, code="standard", name="Standard Queen", max_guests=2)
    RoomTypeFactory(tenant=other_tenant, code="suite", name="Harbor View Suite", max_guests=4)
    john = WhatsAppGuest(meta, graph_api, number_id=payloads.HARBOR_NUMBER_ID, sender=US_GUEST, name="John")
    check_in = other_tenant.local_today() + datetime.timedelta(days=20)

    assert "For which dates?" in john.says("Hi! I'd like to book a room")
    rooms = john.says(f"{en_day(check_in)} for 2 nights, 3 people")
    assert "Harbor View Suite" in rooms
    assert "Standard Queen" not in rooms  # too small for three
    assert "Whose name" in john.says("the suite please")
    assert "email" in john.says("John Smith")
    assert 'Reply "yes" or "no"' in john.says("john@example.com")
    confirmation = john.says("yes")

    with scopes_disabled():
        reservation = Reservation.objects.get()
        conversation = Conversation.objects.get()
    assert f"Your code is {reservation.code}" in confirmation
    assert graph_api.sent_texts[-1] == confirmation
    assert reservation.source == "whatsapp"
    assert reservation.currency == "USD"
    assert (reservation.room_type.code, reservation.guests) == ("suite", 3)
    assert reservation.guest_phone == "+16175550199"
    assert (conversation.tenant, conversation.language, conversation.state) == (other_tenant, "en", "booked")


def test_a_confirmation_meta_refuses_as_outside_the_window_goes_as_the_booking_template(
    meta, graph_api, hotel_sol
):
    """The booking is made; its confirmation must reach the guest even when Meta
    says the window has closed (131047): it goes as the hotel's booking_confirmed
    template, with the code and dates as its parameters."""
    from webhooks.models import MessageTemplate, OutboundMessage
    with scopes_disabled():
        MessageTemplate.objects.create(
            tenant=hotel_sol, purpose="booking_confirmed", name="reserva_confirmada", language="es",
            parameters=["reservation_code", "check_in_date"])
    ana = WhatsAppGuest(meta, graph_api, number_id=payloads.SOL_NUMBER_ID, sender=payloads.GUEST, name="Ana")
    check_in = hotel_sol.local_today() + datetime.timedelta(days=14)
    check_out = check_in + datetime.timedelta(days=2)
    ana.says(f"quiero reservar la estándar del {es_day(check_in)} al {es_day(check_out)} para dos")
    ana.says("Ana García")
    ana.says("ana.garcia@example.com")
    graph_api.answer(400, {"error": {"message": "(#131047) Re-engagement message", "code": 131047}})
    ana.says("si")

    with scopes_disabled():
        reservation = Reservation.objects.get()
        notice = OutboundMessage.objects.get(purpose="booking_confirmed")
    [refused, template] = graph_api.requests[-2:]
    assert refused["json"]["type"] == "text" and refused["answered"] == 400
    assert template["json"]["template"]["name"] == "reserva_confirmada"
    assert [p["text"] for p in template["json"]["template"]["components"][0]["parameters"]] == [
        reservation.code, notice.template_values["check_in_date"]]
    assert (notice.status, notice.reservation, notice.template_values["reservation_code"]) == (
        "sent", None, reservation.code)
