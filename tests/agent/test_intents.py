import pytest

from webhooks.agent.understanding.intents import Intent, detect_intents
from webhooks.agent.understanding.language import detect_language


@pytest.mark.parametrize(("text", "intent"), [
    ("Hola", Intent.GREETING),
    ("Buenos días", Intent.GREETING),
    ("hi there", Intent.GREETING),
    ("¿Tenéis habitaciones libres el fin de semana?", Intent.AVAILABILITY),
    ("¿hay disponibilidad para mañana?", Intent.AVAILABILITY),
    ("do you have a double room for tomorrow?", Intent.AVAILABILITY),
    ("any rooms available in June?", Intent.AVAILABILITY),
    ("¿cuánto cuesta una suite?", Intent.PRICE),
    ("¿qué precio tiene la noche?", Intent.PRICE),
    ("how much is a night?", Intent.PRICE),
    ("what are your rates?", Intent.PRICE),
    ("quiero reservar una habitación", Intent.BOOK),
    ("quisiera hacer una reserva", Intent.BOOK),
    ("I'd like to book a room", Intent.BOOK),
    ("yo can i get a room tomorrow", Intent.BOOK),
    ("sí", Intent.CONFIRM),
    ("si", Intent.CONFIRM),
    ("vale", Intent.CONFIRM),
    ("Confirmo", Intent.CONFIRM),
    ("yes", Intent.CONFIRM),
    ("ok", Intent.CONFIRM),
    ("sure!", Intent.CONFIRM),
    ("ahora si", Intent.CONFIRM),  # after a correction
    ("👍", Intent.CONFIRM),
    ("👍🏽", Intent.CONFIRM),
    ("✔️", Intent.CONFIRM),
    ("👌👌", Intent.CONFIRM),
    ("👎", Intent.DECLINE),
    ("❌", Intent.DECLINE),
    ("pues sí, confírmala", Intent.CONFIRM),
    ("well yes", Intent.CONFIRM),
    ("no", Intent.DECLINE),
    ("actually no, forget it", Intent.DECLINE),  # a word before the "no"
    ("bueno no, déjalo", Intent.DECLINE),
    ("uy no", Intent.DECLINE),
    ("actually yes", Intent.CONFIRM),
    ("well, yes", Intent.CONFIRM),
    ("cancelar eso", Intent.DECLINE),
    ("nope", Intent.DECLINE),
    ("que no", Intent.DECLINE),
    ("ya te he dicho que no", Intent.DECLINE),
    ("i said no", Intent.DECLINE),
    ("cancel that", Intent.DECLINE),
    ("cancelar HA-7K3Q9M", Intent.CANCEL),
    ("cancel my booking HA-7K3Q9M", Intent.CANCEL),
    ("quiero anular mi reserva", Intent.CANCEL),
    ("estado de HA-7K3Q9M", Intent.STATUS),
    ("status of HA-7K3Q9M", Intent.STATUS),
    ("¿cuál es la dirección?", Intent.HOTEL_INFO),
    ("¿a qué hora es el check-in?", Intent.HOTEL_INFO),
    ("what time is check-out?", Intent.HOTEL_INFO),
    ("where are you located?", Intent.HOTEL_INFO),
    ("quiero hablar con una persona", Intent.HANDOFF),
    ("¿me pasas con recepción?", Intent.HANDOFF),
    ("can I talk to a human?", Intent.HANDOFF),
    ("I want to speak to someone from staff", Intent.HANDOFF),
    ("muchas gracias", Intent.THANKS),
    ("adiós", Intent.THANKS),
    ("thanks, bye", Intent.THANKS),
    ("ayuda", Intent.HELP),
    ("¿qué puedes hacer?", Intent.HELP),
    ("what can you do?", Intent.HELP),
])
def test_intent_is_detected(text, intent):
    assert intent in detect_intents(text)


@pytest.mark.parametrize("text", [
    "asdfgh",
    "Ana García",
    "quiero una habitación para una persona",  # a booking, not a request for a person
    "cancelar eso",  # declines; cancels no reservation
])
def test_no_false_alarms(text):
    assert not detect_intents(text) & {Intent.HANDOFF, Intent.CANCEL}


def test_only_declines_what_was_proposed_when_cancelling_that():
    assert detect_intents("cancelar eso") == {Intent.DECLINE}


@pytest.mark.parametrize("text", [
    "never mind, i'll book later", "no, ya reservaré más tarde", "nah, book it another time",
])
def test_booking_later_is_a_no_for_now(text):
    assert Intent.DECLINE in detect_intents(text)
    assert Intent.BOOK not in detect_intents(text)


def test_a_word_before_a_no_that_is_not_one_changes_nothing():
    assert Intent.DECLINE not in detect_intents("actually no sé")


@pytest.mark.parametrize(("text", "language"), [
    ("Hola, quiero reservar", "es"),
    ("¿Cuánto cuesta?", "es"),
    ("sí", "es"),
    ("del 12 al 14 de marzo para dos", "es"),
    ("Hello, I want to book a room", "en"),
    ("how much for two nights?", "en"),
    ("yes please", "en"),
    ("from March 12 to 14", "en"),
    ("yo whats up", "en"),
    ("u guys have a gym?", "en"),
    ("no tengo email", "es"),
    ("sin email", "es"),
])
def test_language_is_detected_from_clear_signals(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["ok", "no", "HA-7K3Q9M", "ha-y232pf", "yes@example.com", "2", "Deluxe"])
def test_messages_without_signals_keep_the_language(text):
    assert detect_language(text) is None


def test_a_name_with_accents_says_nothing_when_only_words_count():
    assert detect_language("Ana García") == "es"
    assert detect_language("Ana García", words_only=True) is None


def test_a_code_that_spells_a_word_is_just_a_code():
    assert detect_intents("HA-CANCEL") == set()
    assert Intent.CANCEL in detect_intents("cancelar HA-STATUS")
