"""Party sizes the way guests type them: who comes, not only how many."""
import pytest

from webhooks.agent.understanding.people import Party, extract_guests, read_party

PARTIES = [
    # A room's occupancy, when nothing else says who comes
    ("quiero reservar una doble del 3 al 5", "es", Party(2)),
    ("una habitacion individual", "es", Party(1)),
    ("la abitacion dobel pa el puente", "es", Party(2)),
    ("semos 2", "es", Party(2)),
    ("habitacion triple para el puente", "es", Party(3)),
    ("a double room for 2 nights", "en", Party(2)),
    ("a single room please", "en", Party(1)),
    ("una doble para 3", "es", Party(3)),
    ("una doble, somos 2 y un bebé", "es", Party(2, 0, 1)),
    # Spanish
    ("mi novio y yo", "es", Party(2)),
    ("una noche, para mi mujer y para mí. ¿Tienen disponibilidad?", "es", Party(2)),
    ("for my wife and for me", "en", Party(2)),
    ("yo y mi jefe", "es", Party(2)),
    ("mi marido y yo", "es", Party(2)),
    ("vamos mi mujer y yo", "es", Party(2)),
    ("mis padres y yo", "es", Party(3)),
    ("yo y mis dos hijos", "es", Party(1, 2)),
    ("con mis dos hijos", "es", Party(1, 2)),
    ("voy con mi mujer", "es", Party(2)),
    ("una habitacion para mis padres", "es", Party(2)),
    ("vamos mi mujer y yo con 2 niños", "es", Party(2, 2)),
    ("somos 3", "es", Party(3)),
    ("seremos tres", "es", Party(3)),
    ("vamos en pareja", "es", Party(2)),
    ("en pareja", "es", Party(2)),
    ("somos una pareja con un bebé", "es", Party(2, 0, 1)),
    ("dos parejas", "es", Party(4)),
    ("dos adultos y una niña", "es", Party(2, 1)),
    ("2 adultos + 1 bebé", "es", Party(2, 0, 1)),
    ("2 adultos y 2 bebes", "es", Party(2, 0, 2)),
    ("somos 4 con los niños", "es", Party(4)),
    # A total with its children: counted in it, unless "and" adds them.
    ("somos 4, dos niños de 3 y 6 años", "es", Party(2, 2)),
    ("somos una familia de 4, 2 niños de 5 y 8 años", "es", Party(2, 2)),
    ("we are a family of 4 (2 kids aged 5 and 8)", "en", Party(2, 2)),
    ("a family of 5 with 3 kids", "en", Party(2, 3)),
    ("somos 2 y un niño", "es", Party(2, 1)),
    ("somos 2 mas 2 niños", "es", Party(2, 2)),
    ("we are 2 and a baby", "en", Party(2, 0, 1)),
    ("seriamos 2", "es", Party(2)),
    ("una habitación para mi y mi hija de 10 años", "es", Party(1, 1)),
    ("para mí y mi marido", "es", Party(2)),
    ("4 de nosotros", "es", Party(4)),
    ("solo yo", "es", Party(1)),
    ("para mi solo", "es", Party(1)),
    ("viajo sola", "es", Party(1)),
    ("dos personas", "es", Party(2)),
    ("pa 2", "es", Party(2)),
    ("para dos", "es", Party(2)),
    ("grupo de 6", "es", Party(6)),
    ("somos una familia de 5, 3 de ellos niños", "es", Party(2, 3)),
    ("veintidós personas", "es", Party(22)),
    ("x3", "es", Party(3)),
    ("3 persnas", "es", Party(3)),
    ("2 adultso y 1 nino", "es", Party(2, 1)),
    ("somos 3 del 5 al 8 de mayo", "es", Party(3)),
    ("hola, para 2 el viernes", "es", Party(2)),
    ("2 niños", "es", Party(None, 2)),
    ("somos 2 adultos y un niño", "es", Party(2, 1)),
    # English
    ("my husband and I", "en", Party(2)),
    ("me and my wife", "en", Party(2)),
    ("me and my boss", "en", Party(2)),
    ("my husbnd and i", "en", Party(2)),
    ("we are a family of four, two of them children", "en", Party(2, 2)),
    ("family of 5", "en", Party(5)),
    ("3 pax", "en", Party(3)),
    ("2 adults and a baby", "en", Party(2, 0, 1)),
    ("with a baby in a cot", "en", Party(None, 0, 1)),
    ("me + my wife + our baby (we'd need a crib)", "en", Party(2, 0, 1)),
    ("just me", "en", Party(1)),
    ("three of us", "en", Party(3)),
    ("there will be three of us", "en", Party(3)),
    ("sorry, there will be 3 of us", "en", Party(3)),
    ("we're 2", "en", Party(2)),
    ("we’re 2", "en", Party(2)),
    ("2 people", "en", Party(2)),
    ("2ppl", "en", Party(2)),
    ("a couple", "en", Party(2)),
    ("we're a couple", "en", Party(2)),
    ("my wife, my 2 kids and me", "en", Party(2, 2)),
    ("twenty-two people", "en", Party(22)),
    ("2 adults, 2 kids", "en", Party(2, 2)),
    ("party of 6 including 2 kids", "en", Party(4, 2)),
    ("2 peopel", "en", Party(2)),
    ("travelling alone", "en", Party(1)),
]

NOT_PARTIES = [
    ("una cama doble", "es"),
    ("tiene cama doble?", "es"),
    ("a single night", "en"),
    ("a double bed", "en"),
    ("3 noches", "es"),
    ("el 3 de mayo", "es"),
    ("a las 3", "es"),
    ("para las 3", "es"),
    ("2 habitaciones", "es"),
    ("100 euros", "es"),
    ("para 2 noches", "es"),
    ("quiero hablar con una persona", "es"),
    ("mi mujer quiere la suite", "es"),
    ("del 12 al 14 de marzo", "es"),
    ("room 2", "en"),
    ("for 2 nights", "en"),
    ("at 3 pm", "en"),
    ("a couple of questions", "en"),
    ("for 150 euros", "en"),
    ("hello", "en"),
]


@pytest.mark.parametrize(("text", "language", "party"), PARTIES)
def test_parties(text, language, party):
    assert read_party(text, language) == party


@pytest.mark.parametrize(("text", "language"), NOT_PARTIES)
def test_numbers_that_are_not_people(text, language):
    assert read_party(text, language) is None
    assert extract_guests(text, language) is None


@pytest.mark.parametrize(("text", "language", "guests"), [
    ("2 adultos + 1 bebé", "es", 2),
    ("2 adults and a baby", "en", 2),
    ("we are a family of four, two of them children", "en", 4),
    ("con mis dos hijos", "es", 3),
    ("with a baby in a cot", "en", None),
])
def test_extract_guests_leaves_babies_out(text, language, guests):
    assert extract_guests(text, language) == guests


def test_a_baby_counts_only_where_the_hotel_says_so():
    party = read_party("2 adults, 1 child and a baby", "en")

    assert party == Party(2, 1, 1)
    assert party.guests(infants_count=False) == 3
    assert party.guests(infants_count=True) == 4
