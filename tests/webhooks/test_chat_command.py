"""`manage.py chat`: talking to a hotel's agent from the terminal, as a web-chat guest.

The terminal is played by a patched `input()` that types the given lines and then
Ctrl-D (EOFError)."""
import datetime
import io

import pytest
from babel.dates import format_date
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from reservations.models import Reservation
from tests.factories import RoomTypeFactory
from webhooks.models import Conversation, InboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def typing(monkeypatch):
    """typing("hola", "gracias", tenant="hotel-sol") → what the command printed."""

    def chat(*lines: str, **options) -> str:
        typed = iter(lines)
        prompts = []

        def fake_input(prompt=""):
            prompts.append(prompt)
            try:
                return next(typed)
            except StopIteration:
                raise EOFError from None

        monkeypatch.setattr("builtins.input", fake_input)
        out = io.StringIO()
        call_command("chat", stdout=out, **options)
        assert set(prompts) == {"guest> "}
        return out.getvalue()

    return chat


@pytest.fixture
def hotel_sol(tenant):
    RoomTypeFactory(tenant=tenant, code="standard", name="Estándar", max_guests=2)
    RoomTypeFactory(tenant=tenant, code="suite", name="Suite", max_guests=4)
    return tenant


def es_day(day: datetime.date) -> str:
    return format_date(day, "d 'de' MMMM 'de' y", locale="es")


def test_greets_and_answers_each_line(typing, hotel_sol):
    output = typing("Hola", tenant="hotel-sol")

    lines = output.splitlines()
    assert lines[0] == "Talking to Hotel Sol as terminal-guest. /quit to leave."
    assert lines[1].startswith("Hotel Sol> ¡Hola! Soy el asistente de Hotel Sol.")


def test_a_whole_booking_in_the_terminal_makes_a_web_reservation(typing, hotel_sol):
    check_in = hotel_sol.local_today() + datetime.timedelta(days=10)
    check_out = check_in + datetime.timedelta(days=2)

    output = typing(
        "Hola, quiero reservar una habitación",
        f"del {es_day(check_in)} al {es_day(check_out)} para 2 adultos",
        "la suite",
        "Ana García",
        "ana@example.com",
        "612 345 678",
        "sí",
        tenant="hotel-sol", sender="ana-terminal",
    )

    with scopes_disabled():
        reservation = Reservation.objects.get()
    assert "¿Confirmo la reserva?" in output
    assert f"Hotel Sol> ¡Reserva confirmada! Tu código es {reservation.code}." in output
    assert (reservation.check_in, reservation.check_out) == (check_in, check_out)
    assert reservation.room_type.code == "suite"
    assert reservation.source == "web"
    assert reservation.guest_phone == "+34612345678"


def test_quit_ends_the_chat_before_the_next_line(typing, hotel_sol):
    output = typing("Hola", "/quit", "quiero reservar", tenant="hotel-sol")

    with scopes_disabled():
        assert list(InboundMessage.objects.values_list("text", flat=True)) == ["Hola"]
    assert "¿Para qué fechas?" not in output


def test_blank_lines_are_not_sent(typing, hotel_sol):
    typing("", "   ", "Hola", tenant="hotel-sol")

    with scopes_disabled():
        assert InboundMessage.objects.count() == 1


def test_lang_starts_the_conversation_in_that_language(typing, hotel_sol):
    output = typing("ok", tenant="hotel-sol", lang="en", sender="visitor")

    assert "anything else" in output
    with scopes_disabled():
        assert Conversation.objects.get(guest_id="visitor").language == "en"


def test_after_a_handover_the_terminal_says_staff_will_answer(typing, hotel_sol):
    output = typing("Quiero hablar con una persona", "¿hola?", tenant="hotel-sol")

    assert output.rstrip().splitlines()[-1] == "Hotel Sol> (a member of staff will answer)"


def test_the_same_sender_continues_the_conversation(typing, hotel_sol):
    typing("quiero reservar", tenant="hotel-sol", sender="returning")

    output = typing("2 personas", tenant="hotel-sol", sender="returning")

    assert "¿Para qué fechas?" in output  # still collecting the booking: dates come first


def test_unknown_hotel_is_an_error(typing, db):
    with pytest.raises(CommandError, match="No hotel with slug 'nowhere'"):
        typing("Hola", tenant="nowhere")
