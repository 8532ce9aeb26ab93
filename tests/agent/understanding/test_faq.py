"""Guests' questions about the hotel find the hotel's own answer, in their words
(typos, no accents, either language); booking talk and small talk find none."""
import datetime
from dataclasses import dataclass

import pytest

from tenants.demo_knowledge import install_demo_knowledge
from tenants.knowledge import knowledge_for
from tests.factories import TenantFactory
from webhooks.agent.understanding.faq import match_faq


@pytest.fixture
def knowledge(db):
    tenant = TenantFactory()
    install_demo_knowledge(tenant)
    return knowledge_for(tenant)


SPANISH = [
    ("desayuno incluido?", "breakfast"),
    ("a q hora es el desayno", "breakfast"),
    ("cuanto cuesta el desayuno", "breakfast"),
    ("se puede desayunar en el hotel?", "breakfast"),
    ("teneis buffet por la mañana", "breakfast"),
    ("hola! el desayuno esta incluido en el precio?", "breakfast"),
    ("tienen parking?", "parking"),
    ("donde puedo aparcar", "parking"),
    ("hay parkin", "parking"),
    ("aparcamiento para coche?", "parking"),
    ("teneis garaje", "parking"),
    ("donde dejo el coche?", "parking"),
    ("cuanto vale el estacionamiento", "parking"),
    ("hay wifi?", "wifi"),
    ("la contraseña del wifi porfa", "wifi"),
    ("teneis internet en las habitaciones", "wifi"),
    ("wify gratis?", "wifi"),
    ("clave del wi-fi", "wifi"),
    ("mascotas?", "pets"),
    ("se admiten perros", "pets"),
    ("puedo ir con mi perrito", "pets"),
    ("aceptais gatos", "pets"),
    ("viajamos con nuestra mascota, algun problema?", "pets"),
    ("cual es la direccion", "address"),
    ("donde estais?", "address"),
    ("donde esta el hotel exactamente", "address"),
    ("me pasas la ubicacion", "address"),
    ("como llego desde el aeropuerto", "directions"),
    ("como se llega desde la estacion de atocha", "directions"),
    ("como llegar en metro", "directions"),
    ("esta lejos del aeropuerto?", "directions"),
    ("telefono del hotel?", "phone"),
    ("me dais un numero de telefono", "phone"),
    ("puedo llamaros?", "phone"),
    ("puedo pagar con tarjeta", "payment"),
    ("aceptais bizum?", "payment"),
    ("se puede pagar en efectivo", "payment"),
    ("puedo pagar a la llegada?", "payment"),
    ("formas de pago?", "payment"),
    ("cogeis american express", "payment"),
    ("politica de cancelacion", "cancellation"),
    ("puedo cancelar gratis?", "cancellation"),
    ("hasta cuando se puede cancelar sin pagar", "cancellation"),
    ("es reembolsable?", "cancellation"),
    ("puedo hacer late check out", "late_checkout"),
    ("podemos salir mas tarde el domingo?", "late_checkout"),
    ("se puede dejar la habitacion mas tarde", "late_checkout"),
    ("salida tardia posible?", "late_checkout"),
    ("hay ascensor?", "accessibility"),
    ("accesible en silla de ruedas", "accessibility"),
    ("teneis habitaciones adaptadas", "accessibility"),
    ("mi madre tiene movilidad reducida, hay escaleras?", "accessibility"),
    ("teneis traslado al aeropuerto", "airport_transfer"),
    ("podeis recogerme en el aeropuerto", "airport_transfer"),
    ("hay shuttle desde barajas?", "airport_transfer"),
    ("q hora es el check out", "check_in_out"),
    ("a que hora es el checkin", "check_in_out"),
    ("hora de entrada?", "check_in_out"),
    ("a que hora puedo llegar", "check_in_out"),
]

ENGLISH = [
    ("is breakfast included", "breakfast"),
    ("what time is brekfast", "breakfast"),
    ("how much is breakfast?", "breakfast"),
    ("do you serve breakfast", "breakfast"),
    ("is there parking", "parking"),
    ("where can I park", "parking"),
    ("parking price?", "parking"),
    ("do u have a garage", "parking"),
    ("do u have wifi", "wifi"),
    ("wifi password pls", "wifi"),
    ("is the internet free?", "wifi"),
    ("can i bring my dog", "pets"),
    ("are pets allowed?", "pets"),
    ("pet friendly?", "pets"),
    ("whats the address", "address"),
    ("where are you located?", "address"),
    ("how do i get there from the airport", "directions"),
    ("directions from the train station please", "directions"),
    ("how far is the airport", "directions"),
    ("what's your phone number", "phone"),
    ("can I call the hotel?", "phone"),
    ("do you take amex", "payment"),
    ("can i pay cash?", "payment"),
    ("which cards do you accept", "payment"),
    ("what is your cancellation policy", "cancellation"),
    ("can i cancel for free?", "cancellation"),
    ("is the rate refundable", "cancellation"),
    ("late checkout possible?", "late_checkout"),
    ("can we check out later on sunday", "late_checkout"),
    ("could i get a late check-out", "late_checkout"),
    ("is there an elevator", "accessibility"),
    ("wheelchair accessible?", "accessibility"),
    ("do you offer airport transfer", "airport_transfer"),
    ("can you pick us up at the airport", "airport_transfer"),
    ("what time is check in", "check_in_out"),
    ("check-out time?", "check_in_out"),
]

NOT_FAQ = [
    "hola", "si", "sí", "no", "ok", "gracias", "2 personas", "buenas tardes", "hello", "hi there", "yes",
    "thanks!", "quiero reservar del 3 al 5", "how much for 2 nights", "cancel my booking HA-7K3Q9M",
    "quiero cancelar mi reserva", "please cancel my reservation", "cuanto cuesta la habitacion doble",
    "tienen habitaciones libres para el finde?", "do you have any rooms available next weekend",
    "una doble para 2 noches", "book a room for friday", "mi email es ana@example.com",
    "me llamo Ana Garcia", "612345678", "el 15 de agosto", "from the 3rd to the 5th",
    "cual es el estado de mi reserva HA-7K3Q9M", "quiero hablar con una persona", "la suite",
    "perfecto, confirmo", "price for a suite?", "3 adultos y un niño", "what's the price per night",
]


@pytest.mark.parametrize(("message", "topic"), SPANISH)
def test_spanish_questions_find_their_answer(knowledge, message, topic):
    found = match_faq(message, knowledge, "es")

    assert found is not None, message
    assert (found.entry.topic, found.entry.language) == (topic, "es")


@pytest.mark.parametrize(("message", "topic"), ENGLISH)
def test_english_questions_find_their_answer(knowledge, message, topic):
    found = match_faq(message, knowledge, "en")

    assert found is not None, message
    assert (found.entry.topic, found.entry.language) == (topic, "en")


@pytest.mark.parametrize("message", NOT_FAQ)
@pytest.mark.parametrize("language", ["es", "en"])
def test_booking_talk_and_small_talk_are_not_questions_about_the_hotel(knowledge, message, language):
    assert match_faq(message, knowledge, language) is None


@dataclass(frozen=True)
class Entry:
    topic: str
    language: str
    questions: tuple[str, ...]
    answer: str


def test_the_other_languages_entry_answers_when_the_guests_is_missing():
    entries = [Entry("parking", "es", ("¿Tenéis parking?",), "Garaje a 50 m.")]

    assert match_faq("is there parking", entries, "en").entry.answer == "Garaje a 50 m."


def test_the_guests_language_is_preferred():
    entries = [Entry("wifi", "es", (), "Wifi gratis."), Entry("wifi", "en", (), "Free wifi.")]

    assert match_faq("hay wifi", entries, "en").entry.answer == "Free wifi."


def test_a_topic_the_hotel_has_no_entry_for_finds_nothing():
    assert match_faq("se admiten perros", [Entry("wifi", "es", (), "Wifi gratis.")], "es") is None


@pytest.mark.parametrize("message", ["teneis gimnasio?", "hay gimnasio en el hotel", "is there a gym"])
def test_an_entry_of_topic_other_is_found_by_its_questions(message):
    entries = [Entry("other", "es", ("¿Tenéis gimnasio?", "Is there a gym?"), "Gimnasio en la planta -1.")]

    assert match_faq(message, entries, "es") is not None


def test_an_entry_of_topic_other_does_not_answer_unrelated_messages():
    entries = [Entry("other", "es", ("¿Tenéis gimnasio?",), "Gimnasio en la planta -1.")]

    assert match_faq("teneis piscina?", entries, "es") is None


@pytest.mark.parametrize("text", ["Pedro Ruiz", "Pedro Pérez García", "pedro.ruiz@hotmail.com",
                                  "Pedro Ruiz, pedro.ruiz@hotmail.com"])
def test_a_name_or_an_email_is_not_a_question_about_pets(knowledge, text):
    """"Pedro" is one letter from "perro": a name is no question, wherever it comes."""
    from webhooks.agent.understanding.reading import Context, read

    reading = read(text, Context(today=datetime.date(2026, 12, 2), language="es", knowledge=knowledge))

    assert reading.faq is None


@pytest.mark.parametrize("message", [
    "a bunch", "we are a bunch of friends", "pedro ruiz", "cuanto valen las habitaciones", "el apartamento",
    "cerca del parque?", "is it effective", "los gastos de cancelacion", "the route from here",
    "how many stars is it", "packing for 3 nights", "cuando es el choque",
])
def test_everyday_words_one_typo_from_a_keyword_are_not_that_topic(knowledge, message):
    """The 8,000 commonest words of each language were run through the typo
    tolerance; those that mean something else never reach a topic."""
    found = match_faq(message, knowledge, "es") or match_faq(message, knowledge, "en")
    assert found is None or found.entry.topic not in {"breakfast", "pets", "parking", "payment", "wifi",
                                                      "accessibility", "airport_transfer", "phone"}


@pytest.mark.parametrize(("text", "topic"), [("Desayuno Incluido", "breakfast"), ("Wifi Gratis", "wifi"),
                                             ("Pedro Ruiz, viajo con mi perro", "pets")])
def test_title_case_questions_still_find_their_answer(knowledge, text, topic):
    from webhooks.agent.understanding.reading import Context, read

    reading = read(text, Context(today=datetime.date(2026, 12, 2), language="es", knowledge=knowledge))

    assert reading.faq.entry.topic == topic
