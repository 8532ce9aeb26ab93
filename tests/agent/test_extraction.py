"""How guests really write stays, guests and rooms, read with a fixed "today"."""
import datetime

import pytest

from webhooks.agent.understanding.contact import extract_code, extract_email, extract_name, extract_phone
from webhooks.agent.understanding.dates import extract_stay
from webhooks.agent.understanding.people import extract_guests, read_party
from webhooks.agent.understanding.rooms import extract_room_type

TODAY = datetime.date(2026, 5, 13)  # a Wednesday
D = datetime.date

SPANISH_STAYS = [
    ("del 12 al 14 de marzo", D(2027, 3, 12), D(2027, 3, 14)),
    ("12/03 al 14/03", D(2027, 3, 12), D(2027, 3, 14)),
    ("12/03/2027 al 14/03/2027", D(2027, 3, 12), D(2027, 3, 14)),
    ("mañana por 3 noches", D(2026, 5, 14), D(2026, 5, 17)),
    ("este fin de semana", D(2026, 5, 15), D(2026, 5, 17)),
    ("el fin de semana que viene", D(2026, 5, 15), D(2026, 5, 17)),
    ("del 3 al 5 de abril", D(2027, 4, 3), D(2027, 4, 5)),
    ("del tres al cinco de abril", D(2027, 4, 3), D(2027, 4, 5)),
    ("el 20 de diciembre por 2 noches", D(2026, 12, 20), D(2026, 12, 22)),
    ("hoy por una noche", D(2026, 5, 13), D(2026, 5, 14)),
    ("pasado mañana, dos noches", D(2026, 5, 15), D(2026, 5, 17)),
    ("desde el 12 hasta el 14 de junio", D(2026, 6, 12), D(2026, 6, 14)),
    ("entre el 12 y el 14 de junio", D(2026, 6, 12), D(2026, 6, 14)),
    ("del 28 de mayo al 2 de junio", D(2026, 5, 28), D(2026, 6, 2)),
    ("del 28 al 2 de junio", D(2026, 5, 28), D(2026, 6, 2)),
    ("del 30 de diciembre al 2 de enero", D(2026, 12, 30), D(2027, 1, 2)),
    ("del 24 de diciembre al 2 de enero de 2027", D(2026, 12, 24), D(2027, 1, 2)),
    ("el viernes por 2 noches", D(2026, 5, 15), D(2026, 5, 17)),
    ("el próximo viernes, dos noches", D(2026, 5, 15), D(2026, 5, 17)),
    ("el sábado 2 noches", D(2026, 5, 16), D(2026, 5, 18)),
    ("del 12 de junio al 14", D(2026, 6, 12), D(2026, 6, 14)),
    ("quiero reservar del 12 al 14 de marzo para 2 adultos", D(2027, 3, 12), D(2027, 3, 14)),
    ("del 12 de marzo de 2027 al 15 de marzo de 2027", D(2027, 3, 12), D(2027, 3, 15)),
    ("el 1 de junio una semana", D(2026, 6, 1), D(2026, 6, 8)),
    ("en dos semanas por 2 noches", D(2026, 5, 27), D(2026, 5, 29)),
    ("dentro de 10 días, 2 noches", D(2026, 5, 23), D(2026, 5, 25)),
    ("del 20 al 22", D(2026, 5, 20), D(2026, 5, 22)),
    ("llegada el 5 de junio y salida el 8 de junio", D(2026, 6, 5), D(2026, 6, 8)),
    ("hola, quiero una suite del 10 al 12 de julio para dos personas", D(2026, 7, 10), D(2026, 7, 12)),
    ("a partir de mañana 4 noches", D(2026, 5, 14), D(2026, 5, 18)),
    ("10/06/2026 - 12/06/2026", D(2026, 6, 10), D(2026, 6, 12)),
    ("del 1 al 3 de sept", D(2026, 9, 1), D(2026, 9, 3)),
    ("mañana hasta el domingo", D(2026, 5, 14), D(2026, 5, 17)),
    ("del 5 al 8 de mayo", D(2027, 5, 5), D(2027, 5, 8)),
    ("el 15 de agosto por 3 noches", D(2026, 8, 15), D(2026, 8, 18)),
    ("¿Tenéis algo del 1º al 4 de octubre?", D(2026, 10, 1), D(2026, 10, 4)),
    ("el día 3 del mes que viene, 2 noches", D(2026, 6, 3), D(2026, 6, 5)),
    ("dentro de un mes, 2 noches", D(2026, 6, 13), D(2026, 6, 15)),  # dateparser's
]

ENGLISH_STAYS = [
    ("from March 12 to 14", D(2027, 3, 12), D(2027, 3, 14)),
    ("next Friday for 2 nights", D(2026, 5, 15), D(2026, 5, 17)),
    ("Dec 5-8", D(2026, 12, 5), D(2026, 12, 8)),
    ("tomorrow for 2 nights", D(2026, 5, 14), D(2026, 5, 16)),
    ("March 3rd to March 6th", D(2027, 3, 3), D(2027, 3, 6)),
    ("2026-12-10 to 2026-12-12", D(2026, 12, 10), D(2026, 12, 12)),
    ("this weekend", D(2026, 5, 15), D(2026, 5, 17)),
    ("today for one night", D(2026, 5, 13), D(2026, 5, 14)),
    ("the day after tomorrow for 3 nights", D(2026, 5, 15), D(2026, 5, 18)),
    ("12/3 to 12/5", D(2026, 12, 3), D(2026, 12, 5)),
    ("3/12-3/14", D(2027, 3, 12), D(2027, 3, 14)),
    ("from the 12th to the 14th of June", D(2026, 6, 12), D(2026, 6, 14)),
    ("between June 12 and 14", D(2026, 6, 12), D(2026, 6, 14)),
    ("June 12 - June 15", D(2026, 6, 12), D(2026, 6, 15)),
    ("arriving June 5, leaving June 8", D(2026, 6, 5), D(2026, 6, 8)),
    ("check in June 5 check out June 8", D(2026, 6, 5), D(2026, 6, 8)),
    ("on Friday for one night", D(2026, 5, 15), D(2026, 5, 16)),
    ("for a week from July 1", D(2026, 7, 1), D(2026, 7, 8)),
    ("in 2 weeks for 3 nights", D(2026, 5, 27), D(2026, 5, 30)),
    ("two weeks from now for 2 nights", D(2026, 5, 27), D(2026, 5, 29)),
    ("July 4th for 3 nights", D(2026, 7, 4), D(2026, 7, 7)),
    ("12 to 14 June", D(2026, 6, 12), D(2026, 6, 14)),
    ("from 20 to 22 May", D(2026, 5, 20), D(2026, 5, 22)),
    ("from tomorrow until Sunday", D(2026, 5, 14), D(2026, 5, 17)),
    ("I'd like a room from Dec 30 to Jan 2", D(2026, 12, 30), D(2027, 1, 2)),
    ("Jun 1-3, 2027", D(2027, 6, 1), D(2027, 6, 3)),
    ("the 15th of next month for 2 nights", D(2026, 6, 15), D(2026, 6, 17)),
    ("Sept 1 to 3", D(2026, 9, 1), D(2026, 9, 3)),
    ("from May 20 through May 23", D(2026, 5, 20), D(2026, 5, 23)),
    ("next Saturday for a couple of nights", D(2026, 5, 16), D(2026, 5, 18)),
    ("August 10th for two nights", D(2026, 8, 10), D(2026, 8, 12)),
    ("Oct 2 - Oct 5", D(2026, 10, 2), D(2026, 10, 5)),
    ("December 24th to 26th", D(2026, 12, 24), D(2026, 12, 26)),
    ("Do you have a double room for 2 people from June 1 to June 4?", D(2026, 6, 1), D(2026, 6, 4)),
    ("March 1 to 3", D(2027, 3, 1), D(2027, 3, 3)),
    ("in a month for 2 nights", D(2026, 6, 13), D(2026, 6, 15)),  # dateparser's
    ("in 2 months for 2 nights", D(2026, 7, 13), D(2026, 7, 15)),
    ("on the 3rd next month, one night", D(2026, 6, 3), D(2026, 6, 4)),  # dateparser's
]


@pytest.mark.parametrize(("text", "check_in", "check_out"), SPANISH_STAYS)
def test_spanish_stays(text, check_in, check_out):
    stay = extract_stay(text, TODAY, "es")

    assert (stay.check_in, stay.check_out) == (check_in, check_out)
    assert stay.nights == (check_out - check_in).days


@pytest.mark.parametrize(("text", "check_in", "check_out"), ENGLISH_STAYS)
def test_english_stays(text, check_in, check_out):
    stay = extract_stay(text, TODAY, "en")

    assert (stay.check_in, stay.check_out) == (check_in, check_out)


@pytest.mark.parametrize(("text", "language", "check_in", "nights"), [
    ("3 noches", "es", None, 3),
    ("una semana", "es", None, 7),
    ("2 nights", "en", None, 2),
    ("for a week", "en", None, 7),
    ("el 12 de junio", "es", D(2026, 6, 12), None),
    ("on the 20th", "en", D(2026, 5, 20), None),
    ("hoy", "es", D(2026, 5, 13), None),
])
def test_half_a_stay_is_kept_for_the_next_question(text, language, check_in, nights):
    stay = extract_stay(text, TODAY, language)

    assert (stay.check_in, stay.check_out, stay.nights) == (check_in, None, nights)


@pytest.mark.parametrize(("text", "language"), [
    ("hola", "es"),
    ("quiero hablar con una persona", "es"),
    ("por la mañana", "es"),
    ("2 personas", "es"),
    ("may I book a room?", "en"),
    ("ana@example.com", "en"),
    ("what time is check-in?", "en"),
    ("call me at 612 345 678", "en"),
])
def test_messages_without_dates_give_no_stay(text, language):
    assert not extract_stay(text, TODAY, language)


def test_a_date_without_year_that_has_passed_is_next_years():
    assert extract_stay("el 1 de mayo", TODAY, "es").check_in == D(2027, 5, 1)
    assert extract_stay("May 13", TODAY, "en").check_in == TODAY


@pytest.mark.parametrize(("text", "language", "guests"), [
    ("para 2 adultos", "es", 2),
    ("dos personas", "es", 2),
    ("para dos", "es", 2),
    ("somos 4", "es", 4),
    ("mi pareja y yo", "es", 2),
    ("una persona", "es", 1),
    ("2 adultos y 1 niño", "es", 3),
    ("3 huéspedes", "es", 3),
    ("solo yo", "es", 1),
    ("para 2 noches", "es", None),
    ("del 12 al 14 de marzo", "es", None),
    ("2 people", "en", 2),
    ("for two", "en", 2),
    ("we are three", "en", 3),
    ("2 adults and 1 child", "en", 3),
    ("my wife and I", "en", 2),
    ("just me", "en", 1),
    ("party of 5", "en", 5),
    ("four guests", "en", 4),
    ("for 2 nights", "en", None),
    ("somos 2 adultos y un niño", "es", 3),
    ("somos 2 y un niño", "es", 3),
    ("seriamos 2", "es", 2),
    ("teneis algo? seriamos 3 adultos", "es", 3),
    ("iriamos 4", "es", 4),
    ("we'd be 2 adults", "en", 2),
    ("dos adultos y un bebé", "es", 2),  # a baby in a cot counts only where the hotel says so
    ("2 adultos con 1 niño", "es", 3),
    ("2 adults and a child", "en", 3),
    ("2 adults with 1 child", "en", 3),
    ("2 adults, 2 kids", "en", 4),
])
def test_guests(text, language, guests):
    assert extract_guests(text, language) == guests


@pytest.mark.parametrize(("text", "room_type"), [
    ("una suite", "suite"),
    ("habitación doble", "double"),
    ("la estándar", "standard"),
    ("standard", "standard"),
    ("deluxe", "deluxe"),
    ("la de lujo", "deluxe"),
    ("una individual", "single"),
    ("a single room", "single"),
    ("a family room", "family"),
    ("the suite please", "suite"),
    ("double room", "double"),
    ("para 2 personas", None),
    ("una habitacion familiar", "family"),
    ("we are a family of 4", None),
    ("somos una familia de 4", None),
    ("viajo con mi familia", None),
])
def test_room_types(text, room_type):
    assert extract_room_type(text) == room_type


@pytest.mark.parametrize(("text", "code"), [
    ("cancelar HA-7K3Q9M", "HA-7K3Q9M"),
    ("status of ha-7k3q9m", "HA-7K3Q9M"),
    ("HA7K3Q9M", "HA-7K3Q9M"),
    ("ha pagado ya", None),
    ("HA-0O1I23", None),
])
def test_reservation_codes(text, code):
    assert extract_code(text) == code


@pytest.mark.parametrize(("text", "email"), [
    ("mi correo es Ana.Garcia@Example.com", "ana.garcia@example.com"),
    ("john@example.co.uk.", "john@example.co.uk"),
    ("ana@example", None),
])
def test_emails(text, email):
    assert extract_email(text) == email


@pytest.mark.parametrize(("text", "expecting", "name"), [
    ("me llamo Ana García", False, "Ana García"),
    ("My name is John Smith and my email is j@example.com", False, "John Smith"),
    ("a nombre de María José López", False, "María José López"),
    ("Ana García", True, "Ana García"),
    ("ana garcía, ana@example.com", True, "Ana García"),
    ("I'm Siobhan O'Brien", True, "Siobhan O'Brien"),
    ("Ana García", False, None),
    ("12345", True, None),
])
def test_names(text, expecting, name):
    assert extract_name(text, expecting=expecting) == name


def test_phones_need_nine_digits_and_are_not_dates():
    assert extract_phone("mi móvil es 612 345 678") == "612 345 678"
    assert extract_phone("+44 20 7946 0958") == "+44 20 7946 0958"
    assert extract_phone("2026-12-10 - 2026-12-12") is None
    assert extract_phone("para 2") is None


@pytest.mark.parametrize(("text", "infants"), [
    ("dos adultos y un bebé", 1),
    ("me + my wife + our baby (we'd need a crib)", 1),
    ("2 adultos + 2 bebes", 2),
    ("somos 2 adultos", 0),
])
def test_babies_are_read_apart_from_the_party(text, infants):
    assert (read_party(text).infants if read_party(text) else 0) == infants
