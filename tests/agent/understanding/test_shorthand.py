"""Phone shorthand is spelled out before the rules read a message, never inside
an email, a reservation code or a number."""
import pytest

from webhooks.agent.understanding.text import expand_shorthand


@pytest.mark.parametrize(("typed", "read"), [
    ("q incluye la suite?", "que incluye la suite?"),
    ("el puente d mayo", "el puente de mayo"),
    ("a room 4 tmrw night", "a room 4 tomorrow night"),
    ("any room 2nite?", "any room tonight?"),
    ("tonite for 2", "tonight for 2"),
    ("cerca d la playa", "cerca de la playa"),
    ("a k hora es el checkout", "a que hora es el checkout"),
    ("Q hora es?", "que hora es?"),
    ("tb teneis parking?", "tambien teneis parking?"),
    ("xq no me llega el email", "porque no me llega el email"),
    ("dnd estais", "donde estais"),
    ("do u have rooms? whats ur address", "do you have rooms? whats your address"),
    ("2 noches xfa", "2 noches por favor"),
])
def test_shorthand_is_spelled_out(typed, read):
    assert expand_shorthand(typed) == read


@pytest.mark.parametrize("typed", [
    "I'd like a room", "I’d like a room", "vitamina D", "plan d", "d.garcia@gmail.com",
    "mi email es q@example.com",
    "juan.q@gmail.com",
    "ana@q.example.com",
    "mi codigo es HA-7K3Q9M",
    "ha-q2k3tb",
    "la 5k del domingo",
    "U2 en concierto",
    "quiero el desayuno",
    "7 u 8 noches",
    "uno u otro",
    "siete u ocho personas",
])
def test_emails_codes_and_words_are_left_as_typed(typed):
    assert expand_shorthand(typed) == typed
