"""A guest who names a room in an availability question ("¿tenéis la suite libre
del 5 al 7?") is answered about that room first, not with the whole list."""

import pytest
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory

from .conftest import stay_words

pytestmark = pytest.mark.django_db


def test_the_named_room_comes_first_then_the_others(chat, hotel):
    _check_in, dates = stay_words(hotel)

    reply = chat.send(f"buenas! teneis la suite libre {dates}? somos 2")

    assert reply.startswith("Sí, tenemos Suite libre del")
    assert "250,00\xa0€ por noche, total 500,00\xa0€. Quedan 1." in reply
    assert "También tenemos:\n• Standard" in reply
    assert "¿Hago la reserva de Suite?" in reply
    assert "¿A nombre de quién" in chat.send("vale")
    assert chat.conversation.slots["room_type"] == "suite"


def test_in_english(inn_chat, inn):
    _check_in, dates = stay_words(inn)

    reply = inn_chat.send(f"hey do u have the suite {dates}, 2 ppl")

    assert reply.startswith("Yes, Suite is free from")
    assert "We also have:\n• Standard" in reply
    assert "Shall I book Suite?" in reply


def test_a_named_room_that_is_full_says_so_and_offers_the_rest(chat, hotel):
    check_in, dates = stay_words(hotel)
    with scopes_disabled():
        NightlyInventory.objects.filter(room_type__code="suite", date=check_in).update(rooms_booked=1)

    reply = chat.send(f"la suite {dates} para 2, hay?")

    assert reply.startswith("Suite no está libre del")
    assert "Esto es lo que tenemos:\n• Standard" in reply
    assert "Hago la reserva" not in reply


def test_a_named_room_too_small_for_the_party_says_its_size(chat, hotel):
    _check_in, dates = stay_words(hotel)

    reply = chat.send(f"cuanto es la standard para 3 {dates}?")

    assert reply.startswith("Standard es para 2 personas como máximo.")
    assert "• Deluxe" in reply
    assert "room_type" not in chat.conversation.slots
