import datetime
from decimal import Decimal

import pytest
from babel.dates import format_date

from tests.factories import RoomTypeFactory, TenantFactory
from webhooks.agent import respond
from webhooks.models import Conversation

GUEST_PHONE = "+34612345678"


@pytest.fixture
def hotel(db):
    """A Spanish hotel with three kinds of room and a full profile."""
    tenant = TenantFactory(
        slug="hotel-mar", name="Hotel Mar", address="Calle del Puerto 1, 29001 Málaga",
        check_in_time=datetime.time(15, 0), check_out_time=datetime.time(11, 0),
        support_phone="+34952000000", support_email="recepcion@hotelmar.example",
    )
    RoomTypeFactory(tenant=tenant, code="standard", name="Standard", max_guests=2, base_rate=Decimal("100"))
    RoomTypeFactory(tenant=tenant, code="deluxe", name="Deluxe", max_guests=3, base_rate=Decimal("150"))
    RoomTypeFactory(tenant=tenant, code="suite", name="Suite", max_guests=4, base_rate=Decimal("250"),
                    room_count=1)
    return tenant


@pytest.fixture
def inn(db):
    """An American hotel that speaks English and charges in dollars."""
    tenant = TenantFactory(
        slug="harbor-inn", name="Harbor Inn", timezone="America/New_York", country="US",
        currency="USD", language="en", address="1 Harbor St, Boston, MA",
        support_phone="+16175550100",
    )
    RoomTypeFactory(tenant=tenant, code="standard", name="Standard", max_guests=2, base_rate=Decimal("120"))
    RoomTypeFactory(tenant=tenant, code="suite", name="Suite", max_guests=4, base_rate=Decimal("300"))
    return tenant


def new_conversation(tenant, *, channel="whatsapp", guest_id="34612345678", guest_phone=GUEST_PHONE):
    return Conversation.objects.create(
        tenant=tenant, channel=channel, guest_id=guest_id, guest_phone=guest_phone
    )


@pytest.fixture
def chat(hotel):
    """A WhatsApp conversation with the Spanish hotel, and a way to talk in it:
    `chat.send("hola")` returns the agent's replies joined in one string."""
    return Chat(new_conversation(hotel))


@pytest.fixture
def inn_chat(inn):
    return Chat(new_conversation(inn))


class Chat:
    def __init__(self, conversation):
        self.conversation = conversation

    def send(self, text: str, message_type: str = "text") -> str:
        return "\n".join(self.replies(text, message_type))

    def replies(self, text: str, message_type: str = "text") -> list[str]:
        replies = respond(conversation=self.conversation, text=text, message_type=message_type)
        self.conversation.refresh_from_db()
        return replies


def es_day(day: datetime.date) -> str:
    """How a Spanish guest writes a date: "5 de diciembre de 2026"."""
    return format_date(day, "d 'de' MMMM 'de' y", locale="es")


def en_day(day: datetime.date) -> str:
    """How an English-speaking guest writes a date: "December 5, 2026"."""
    return format_date(day, "MMMM d, y", locale="en")


def days_ahead(tenant, days: int) -> datetime.date:
    return tenant.local_today() + datetime.timedelta(days=days)


def stay_words(tenant, days: int = 10, nights: int = 2) -> tuple[datetime.date, str]:
    """A stay `days` ahead, and its dates the way the hotel's guests write them:
    "del 13 de diciembre de 2026 al 15 de …" or "from December 13, 2026 to …"."""
    check_in = days_ahead(tenant, days)
    check_out = check_in + datetime.timedelta(days=nights)
    if tenant.language == "en":
        return check_in, f"from {en_day(check_in)} to {en_day(check_out)}"
    return check_in, f"del {es_day(check_in)} al {es_day(check_out)}"


def book_the_deluxe(chat, hotel, party: str) -> tuple[str, str]:
    """A whole booking of the deluxe, ten days ahead for two nights, "somos {party}":
    the summary and the confirmation."""
    check_in = days_ahead(hotel, 10)
    check_out = check_in + datetime.timedelta(days=2)
    chat.send(f"hola, quiero reservar la deluxe del {es_day(check_in)} al {es_day(check_out)}, somos {party}")
    chat.send("Ana García")
    return chat.send("ana@example.com"), chat.send("si")
