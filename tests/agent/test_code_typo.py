"""A reservation code typed with a character codes never have (0, 1, O, I) or
one too many is told so, not "I cannot see a code in your message"."""
import pytest

from webhooks.agent.understanding.contact import mistyped_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("text", "typo"), [
    ("HA-XXXX12", "HA-XXXX12"),
    ("mi codigo es ha-7k3q9m0", "HA-7K3Q9M0"),
    ("ha 12345", "HA 12345"),
    ("HA-7K3Q9M", None),  # a real one
    ("la habitacion 2", None),
    ("hola", None),
])
def test_what_is_a_mistyped_code(text, typo):
    assert mistyped_code(text) == typo


def test_the_guest_hears_what_is_wrong_with_it(chat):
    chat.send("quiero cancelar mi reserva")

    reply = chat.send("HA-XXXX12")

    assert reply.startswith("«HA-XXXX12» no es un código nuestro")
    assert "nunca llevan 0, 1, O ni I" in reply
    assert chat.conversation.state == "ask_code"


def test_in_english(inn_chat):
    inn_chat.send("I want to cancel my booking")

    reply = inn_chat.send("its HA-1234OO")

    assert reply.startswith('"HA-1234OO" is not one of our codes')
