"""After the rooms are listed, "¿cuál es la más barata?" is a question: the room
that answers, its price, and "¿te la reservo?". A "sí" or "vale esa" books that
one; "the cheapest pls" still chooses at once (the corpus has it)."""
import pytest

from .conftest import stay_words

pytestmark = pytest.mark.django_db


def offered(chat, hotel):
    _check_in, stay = stay_words(hotel)
    chat.send(f"hola, teneis algo {stay}? somos 2")
    assert chat.conversation.state == "offered"


def test_the_cheapest_is_named_with_its_price_and_nothing_is_booked_yet(chat, hotel):
    offered(chat, hotel)

    reply = chat.send("cual es la mas barata?")

    assert reply.startswith("La más económica es la Standard (hasta 2 personas)")
    assert "¿Te la reservo?" in reply
    assert chat.conversation.state == "offered"
    assert chat.conversation.slots.get("room_type") is None


@pytest.mark.parametrize("answer", ["si", "vale esa", "ok"])
def test_yes_books_the_room_named(chat, hotel, answer):
    offered(chat, hotel)
    chat.send("¿y la más grande?")
    chat.send("y la mas barata?")

    reply = chat.send(answer)

    assert chat.conversation.slots["room_type"] == "standard"
    assert reply.startswith("Perfecto: Standard")
    assert chat.conversation.state == "ask_name"


def test_no_keeps_the_choice_open(chat, hotel):
    offered(chat, hotel)
    chat.send("cual es la mas barata?")

    chat.send("no")

    assert chat.conversation.slots.get("room_type") is None


def test_in_english(inn_chat, inn):
    _check_in, stay = stay_words(inn)
    inn_chat.send(f"hey any rooms {stay}? 2 adults")

    reply = inn_chat.send("whats the cheapest")

    assert reply.startswith("The cheapest is the Standard (up to 2 guests)")
    assert inn_chat.conversation.slots.get("room_type") is None
    assert inn_chat.send("yes please").startswith("Great: Standard")
