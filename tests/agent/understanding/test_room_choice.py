"""Guests choosing and asking about rooms the way they write: no accents, typos,
half sentences, Spanish and English. The rooms are the demo hotels' (Hotel Sol,
Harbor Inn) as RoomFacts, so no database is involved."""
from decimal import Decimal

import pytest

from reservations.room_facts import RoomFacts, answer_room_question, describe_room
from webhooks.agent.understanding.room_choice import RoomQuestion, choose_room, room_question

SOL = (
    RoomFacts(
        code="standard", name="Habitación estándar",
        names={"es": "Habitación estándar", "en": "Standard room"},
        max_guests=2, base_rate=Decimal("90"), beds="twin", size_m2=18,
        amenities=("walk_in_shower", "air_conditioning", "heating", "desk", "crib_available"),
    ),
    RoomFacts(
        code="deluxe", name="Habitación deluxe", names={"es": "Habitación deluxe", "en": "Deluxe room"},
        max_guests=3, base_rate=Decimal("140"), beds="king", size_m2=26,
        amenities=("balcony", "city_view", "bathtub", "air_conditioning", "heating", "minibar"),
    ),
    RoomFacts(
        code="suite", name="Suite con terraza", names={"es": "Suite con terraza", "en": "Terrace suite"},
        max_guests=4, base_rate=Decimal("260"), beds="double_sofa_bed", size_m2=40,
        amenities=("terrace", "sea_view", "bathtub", "air_conditioning", "heating", "sofa", "minibar"),
    ),
)
HARBOR = (
    RoomFacts(code="standard", name="Standard Queen", max_guests=2, base_rate=Decimal("95"), beds="queen",
              size_m2=18, amenities=("walk_in_shower", "air_conditioning", "desk")),
    RoomFacts(code="deluxe", name="Deluxe King", max_guests=3, base_rate=Decimal("145"), beds="king",
              size_m2=26, amenities=("balcony", "city_view", "bathtub", "air_conditioning")),
    RoomFacts(code="suite", name="Harbor View Suite", names={"es": "Suite con vistas al puerto"},
              max_guests=4, base_rate=Decimal("265"), beds="double_sofa_bed", size_m2=40,
              amenities=("terrace", "sea_view", "bathtub", "air_conditioning", "sofa", "accessible")),
)
# A hotel whose rooms are simply called Standard, Deluxe, Suite, and whose
# biggest room is not its dearest.
PLAIN = (
    RoomFacts(code="standard", name="Standard", max_guests=2, base_rate=Decimal("100"), beds="queen",
              size_m2=20, amenities=("walk_in_shower",)),
    RoomFacts(code="family", name="Family", names={"es": "Familiar"}, max_guests=5, base_rate=Decimal("150"),
              beds="two_doubles", size_m2=45, amenities=("bathtub", "crib_available", "connecting")),
    RoomFacts(code="deluxe", name="Deluxe", max_guests=3, base_rate=Decimal("180"), beds="king", size_m2=30,
              amenities=("balcony", "bathtub", "coffee_machine")),
    RoomFacts(code="suite", name="Suite", max_guests=4, base_rate=Decimal("300"), beds="king", size_m2=38,
              amenities=("terrace", "bathtub", "sofa", "kitchenette")),
)
ALL3 = ("standard", "deluxe", "suite")

CHOICES = [
    # (text, rooms, language, offered, code, how, candidates); candidates None: not checked
    # names and codes, with typos and without accents
    ("delux", SOL, "es", (), "deluxe", "name", None),
    ("la delux porfa", SOL, "es", (), "deluxe", "name", None),
    ("la suit", SOL, "es", (), "suite", "name", None),
    ("la suite", SOL, "es", (), "suite", "name", None),
    ("estandar", SOL, "es", (), "standard", "name", None),
    ("standar", HARBOR, "en", (), "standard", "name", None),
    ("la estándar está bien", SOL, "es", (), "standard", "name", None),
    ("Quiero la DELUXE", SOL, "es", (), "deluxe", "name", None),
    ("la de lujo", SOL, "es", (), "deluxe", "name", None),
    ("the deluxe king please", HARBOR, "en", (), "deluxe", "name", None),
    ("harbor view suite", HARBOR, "en", (), "suite", "name", None),
    ("la suite con vistas al puerto", HARBOR, "es", (), "suite", "name", None),
    ("terrace suite", SOL, "en", (), "suite", "name", None),
    ("standart room", SOL, "en", (), "standard", "name", None),
    ("la familiar", PLAIN, "es", (), "family", "name", None),
    ("the famly room", PLAIN, "en", (), "family", "name", None),
    ("deluxe o suite?", SOL, "es", (), None, "name", ("deluxe", "suite")),
    ("deluxe or suite, whichever is cheaper", SOL, "en", (), "deluxe", "cheapest", ("deluxe", "suite")),
    # price and size
    ("lo más económico", SOL, "es", (), "standard", "cheapest", None),
    ("la mas barata", SOL, "es", (), "standard", "cheapest", None),
    ("la mas varata q tengas", SOL, "es", (), "standard", "cheapest", None),
    ("your least expensive one", HARBOR, "en", (), "standard", "cheapest", None),
    ("the cheapest", HARBOR, "en", (), "standard", "cheapest", None),
    ("whats the cheapest option", HARBOR, "en", (), "standard", "cheapest", None),
    ("la más cara", SOL, "es", (), "suite", "priciest", None),
    ("the best one", HARBOR, "en", (), "suite", "priciest", None),
    ("la mejor que tengais", SOL, "es", (), "suite", "priciest", None),
    ("la más amplia", SOL, "es", (), "suite", "largest", None),
    ("the biggest", HARBOR, "en", (), "suite", "largest", None),
    ("the largest room", HARBOR, "en", (), "suite", "largest", None),
    ("la mas grande", PLAIN, "es", (), "family", "largest", None),
    ("the biggest one", PLAIN, "en", (), "family", "largest", None),
    ("la mas barata", SOL, "es", ("deluxe", "suite"), "deluxe", "cheapest", ("deluxe", "suite")),
    # the room just offered
    ("esa misma", SOL, "es", ("deluxe",), "deluxe", "same", None),
    ("esa", SOL, "es", ("deluxe",), "deluxe", "same", None),
    ("vale esa", SOL, "es", ("standard", "suite"), "suite", "same", None),
    ("la misma", SOL, "es", ("suite",), "suite", "same", None),
    ("esa porfa", SOL, "es", ("standard",), "standard", "same", None),
    ("that one", HARBOR, "en", ("suite",), "suite", "same", None),
    ("ok that one!", HARBOR, "en", ("standard", "deluxe"), "deluxe", "same", None),
    ("the one you said", HARBOR, "en", ("standard", "suite"), "suite", "same", None),
    ("la que me dijiste", SOL, "es", ("deluxe",), "deluxe", "same", None),
    # a place in the list offered
    ("la primera", SOL, "es", ALL3, "standard", "ordinal", None),
    ("la primera opcion", SOL, "es", ALL3, "standard", "ordinal", None),
    ("the second one", HARBOR, "en", ALL3, "deluxe", "ordinal", None),
    ("la 2", SOL, "es", ALL3, "deluxe", "ordinal", None),
    ("2", SOL, "es", ALL3, "deluxe", "ordinal", None),
    ("la 3 porfa", SOL, "es", ALL3, "suite", "ordinal", None),
    ("option 1", HARBOR, "en", ALL3, "standard", "ordinal", None),
    ("the 3rd", HARBOR, "en", ALL3, "suite", "ordinal", None),
    ("la ultima", SOL, "es", ALL3, "suite", "ordinal", None),
    ("the last one", HARBOR, "en", ("deluxe", "suite"), "suite", "ordinal", None),
    ("la segunda", SOL, "es", ("suite", "standard"), "standard", "ordinal", None),
    ("i'll take the middle one", HARBOR, "en", ALL3, "deluxe", "ordinal", None),
    ("la del medio", SOL, "es", ALL3, "deluxe", "ordinal", None),
    ("la de en medio porfa", SOL, "es", ALL3, "deluxe", "ordinal", None),
    # what the room has
    ("a room with a balcony", HARBOR, "en", (), "deluxe", "feature", None),
    ("una con balcon", SOL, "es", (), "deluxe", "feature", None),
    ("con bañera", SOL, "es", (), None, "feature", ("deluxe", "suite")),
    ("con banera", SOL, "es", (), None, "feature", ("deluxe", "suite")),
    ("con bañera y terraza", SOL, "es", (), "suite", "feature", None),
    ("con vistas al mar", SOL, "es", (), "suite", "feature", None),
    ("something with an ocean view", HARBOR, "en", (), "suite", "feature", None),
    ("sin bañera", SOL, "es", (), "standard", "feature", None),
    ("la mas barata con bañera", SOL, "es", (), "deluxe", "cheapest", ("deluxe", "suite")),
    ("the cheapest one with a tub", PLAIN, "en", (), "family", "cheapest", ("family", "deluxe", "suite")),
    ("wheelchair accessible please", HARBOR, "en", (), "suite", "feature", None),
    ("con cocina", PLAIN, "es", (), "suite", "feature", None),
    ("con jacuzzi", HARBOR, "es", (), None, "feature", ("deluxe", "suite")),
    ("no, la de balcon", SOL, "es", (), "deluxe", "feature", None),
    ("con piscina privada y balcon y cocina", SOL, "es", (), None, "feature", ()),
    # beds
    ("two single beds", SOL, "en", (), "standard", "feature", None),
    ("dos camas individuales", SOL, "es", (), "standard", "feature", None),
    ("2 camas separadas", SOL, "es", (), "standard", "feature", None),
    ("twin", SOL, "en", (), "standard", "feature", None),
    ("two single beds", HARBOR, "en", (), None, "feature", ()),
    ("una matrimonial", SOL, "es", (), None, "feature", ("deluxe", "suite")),
    ("cama de matrimonio", SOL, "es", (), None, "feature", ("deluxe", "suite")),
    ("una matrimonial", HARBOR, "es", (), None, "feature", ALL3),
    ("a king bed", HARBOR, "en", (), "deluxe", "feature", None),
    ("una cama king", PLAIN, "es", (), None, "feature", ("deluxe", "suite")),
    ("queen bed pls", PLAIN, "en", (), "standard", "feature", None),
    ("dos camas dobles", PLAIN, "es", (), "family", "feature", None),
    ("con sofa cama para el niño", SOL, "es", (), "suite", "feature", None),
    ("a king bed, the cheapest", PLAIN, "en", (), "deluxe", "cheapest", ("deluxe", "suite")),
]


@pytest.mark.parametrize(("text", "rooms", "language", "offered", "code", "how", "candidates"), CHOICES,
                         ids=[row[0] for row in CHOICES])
def test_choose_room(text, rooms, language, offered, code, how, candidates):
    choice = choose_room(text, rooms, language=language, offered=offered)

    assert choice is not None
    assert (choice.code, choice.how) == (code, how)
    if candidates is not None:
        assert choice.candidates == candidates
    if code is not None:
        assert code in choice.candidates


NOT_CHOICES = [
    ("hola", SOL, "es", ()),
    ("para el 3 de julio", SOL, "es", ()),
    ("esta bien, gracias", SOL, "es", ("deluxe",)),
    ("somos 2", SOL, "es", ()),
    ("2", SOL, "es", ()),  # nothing offered: a number of people, not a room
    ("la primera semana de agosto", SOL, "es", ALL3),
    ("3 en la primera", SOL, "es", ALL3),  # who goes in the first of several rooms
    ("two in the first one", HARBOR, "en", ALL3),
    ("the middle one", HARBOR, "en", ("standard", "suite")),  # no middle of two
    ("that's quite expensive", HARBOR, "en", ("suite",)),
    ("", SOL, "es", ALL3),
]


@pytest.mark.parametrize(("text", "rooms", "language", "offered"), NOT_CHOICES,
                         ids=[row[0] for row in NOT_CHOICES])
def test_messages_that_choose_no_room(text, rooms, language, offered):
    assert choose_room(text, rooms, language=language, offered=offered) is None


QUESTIONS = [
    # (text, rooms, language, code, asks, amenity)
    ("y con bañera cual", SOL, "es", None, "amenity", "bathtub"),
    ("with a balcony which one", HARBOR, "en", None, "amenity", "balcony"),
    ("¿cuánta gente entra en la deluxe?", SOL, "es", "deluxe", "capacity", None),
    ("cuanta gente entra en la delux", SOL, "es", "deluxe", "capacity", None),
    ("cuantas personas caben en la suite", SOL, "es", "suite", "capacity", None),
    ("cabemos 4 en la suit?", SOL, "es", "suite", "capacity", None),
    ("how many people fit in the deluxe", HARBOR, "en", "deluxe", "capacity", None),
    ("how many guests does the suite sleep?", HARBOR, "en", "suite", "capacity", None),
    ("para cuantos es la estandar", SOL, "es", "standard", "capacity", None),
    ("is there a bathtub in the suite?", HARBOR, "en", "suite", "amenity", "bathtub"),
    ("la estandar tiene balcon?", SOL, "es", "standard", "amenity", "balcony"),
    ("la estandar tiene balcon", SOL, "es", "standard", "amenity", "balcony"),
    ("does the standard have a tub", HARBOR, "en", "standard", "amenity", "bathtub"),
    ("tiene vistas al mar la suite?", SOL, "es", "suite", "amenity", "sea_view"),
    ("hay aire acondicionado?", SOL, "es", None, "amenity", "air_conditioning"),
    ("do the rooms have a coffee maker?", PLAIN, "en", None, "amenity", "coffee_machine"),
    ("la deluxe tiene cafetera?", PLAIN, "es", "deluxe", "amenity", "coffee_machine"),
    ("what beds does the deluxe have", HARBOR, "en", "deluxe", "beds", None),
    ("que camas tiene la suite", SOL, "es", "suite", "beds", None),
    ("la deluxe es de cama king?", SOL, "es", "deluxe", "beds", None),
    ("how big is the suite", HARBOR, "en", "suite", "size", None),
    ("que tamaño tiene la habitacion deluxe", SOL, "es", "deluxe", "size", None),
    ("cuantos metros tiene la estandar?", SOL, "es", "standard", "size", None),
    ("whats the size of the standard room", SOL, "en", "standard", "size", None),
    ("como es la suite?", SOL, "es", "suite", "description", None),
    ("tell me about the deluxe", HARBOR, "en", "deluxe", "description", None),
    ("what is the family room like?", PLAIN, "en", "family", "description", None),
]


@pytest.mark.parametrize(("text", "rooms", "language", "code", "asks", "amenity"), QUESTIONS,
                         ids=[row[0] for row in QUESTIONS])
def test_room_question(text, rooms, language, code, asks, amenity):
    assert room_question(text, rooms, language=language) == RoomQuestion(code, asks, amenity)


@pytest.mark.parametrize("text", [
    "quiero la suite", "la de balcon", "the cheapest", "para el 3 de julio", "2 adultos", "gracias!",
    "quiero una con bañera", "book the deluxe please",
])
def test_choices_and_other_messages_are_not_room_questions(text):
    assert room_question(text, SOL, language="es") is None


ANSWERS = [
    (RoomQuestion("deluxe", "capacity"), PLAIN, "es", "En la Deluxe caben hasta 3 personas."),
    (RoomQuestion("suite", "amenity", "bathtub"), PLAIN, "en", "Yes, the Suite has a bathtub."),
    (RoomQuestion("standard", "amenity", "bathtub"), PLAIN, "en",
     "No, the Standard has a walk-in shower, no bathtub."),
    (RoomQuestion("standard", "amenity", "bathtub"), PLAIN, "es",
     "No, la Standard tiene ducha a ras de suelo, sin bañera."),
    (RoomQuestion("standard", "amenity", "balcony"), SOL, "es",
     "No, la habitación estándar no tiene balcón."),
    (RoomQuestion("deluxe", "beds"), HARBOR, "en", "The Deluxe King has a king bed."),
    (RoomQuestion("standard", "beds"), SOL, "es", "La habitación estándar tiene dos camas individuales."),
    (RoomQuestion("suite", "size"), HARBOR, "en", "The Harbor View Suite is 40 m² (about 430 sq ft)."),
    (RoomQuestion("deluxe", "size"), SOL, "es", "La habitación deluxe tiene 26 m²."),
    (RoomQuestion(None, "amenity", "bathtub"), SOL, "es",
     "La habitación deluxe y la Suite con terraza: bañera; las demás no."),
    (RoomQuestion(None, "amenity", "air_conditioning"), HARBOR, "en", "Yes, every room: air conditioning."),
    (RoomQuestion(None, "amenity", "kitchenette"), SOL, "en", "No, no room has a kitchenette."),
]


@pytest.mark.parametrize(("question", "rooms", "language", "answer"), ANSWERS, ids=[a[3] for a in ANSWERS])
def test_answers_come_from_the_facts(question, rooms, language, answer):
    assert answer_room_question(question, rooms, language) == answer


def test_a_question_read_is_answered_in_the_guests_language():
    question = room_question("how many people fit in the suite?", SOL, language="en")

    assert answer_room_question(question, SOL, "en") == "The Terrace suite sleeps up to 4 guests."


@pytest.mark.parametrize(("room", "language", "line"), [
    (SOL[2], "es", "Suite con terraza — cama doble y sofá cama, vistas al mar, terraza, bañera, 40 m², "
                   "hasta 4 personas"),
    (SOL[0], "en", "Standard room — 2 single beds, walk-in shower, 18 m², up to 2 guests"),
    (RoomFacts(code="x", name="Loft", max_guests=1), "es", "Loft — hasta 1 persona"),
])
def test_describe_room_is_one_line(room, language, line):
    assert describe_room(room, language) == line
