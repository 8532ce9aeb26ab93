"""A room's name said in a sentence without the kind twice: "la Habitación
deluxe", not "la habitación Habitación deluxe"; "the Standard room", but "the
Harbor View Suite"."""
import pytest

from webhooks.agent.dialogue.skills.booking import room_phrase


@pytest.mark.parametrize(("label", "language", "phrase"), [
    ("Habitación deluxe", "es", "la Habitación deluxe"),
    ("Suite con terraza", "es", "la Suite con terraza"),
    ("habitacion doble", "es", "la habitacion doble"),
    ("Standard", "es", "la habitación Standard"),
    ("Harbor View Suite", "en", "the Harbor View Suite"),
    ("Deluxe King", "en", "the Deluxe King"),
    ("Family Room", "en", "the Family Room"),
    ("Standard", "en", "the Standard room"),
])
def test_the_kind_is_said_once(label, language, phrase):
    assert room_phrase(label, language) == phrase
