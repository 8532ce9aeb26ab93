"""Names, emails and phones the way guests send them, often all in one message."""
import pytest

from webhooks.agent.understanding.contact import extract_email, looks_like_email_attempt, read_contact

NAMES = [
    ("deluxe works, booking name Ana Torres", False, "Ana Torres"),
    ("a nombre de Luis Pardo", False, "Luis Pardo"),
    ("soy Luis Pardo", False, "Luis Pardo"),
    ("hola soy luis pardo", False, "Luis Pardo"),
    ("this is Mary Jones, mary@example.com, +1 617 555 0199", False, "Mary Jones"),
    ("Ana Torres ana.torres@gmail.com 612345678", False, "Ana Torres"),
    ("me llamo ana y mi correo es ana@x.es", False, "Ana"),
    ("name: Peter O'Brien", False, "Peter O'Brien"),
    ("Reserva a nombre de María José Pérez Ruiz", False, "María José Pérez Ruiz"),
    ("the booking is for John Smith", False, "John Smith"),
    ("put it under Smith", False, "Smith"),
    ("Ana García", True, "Ana García"),
    ("ana garcia", True, "Ana Garcia"),
    ("I'm Siobhan O'Brien", True, "Siobhan O'Brien"),
    ("ana garcía, ana@example.com", True, "Ana García"),
    ("Luis Pardo 612 34 56 78", True, "Luis Pardo"),
]

NOT_NAMES = [
    ("sorry, there will be three of us", True),
    ("mejor del 14 al 16", True),
    ("si", True),
    ("sí", True),
    ("ok perfecto", True),
    ("la deluxe", True),
    ("no gracias", True),
    ("the cheapest one", True),
    ("hola buenas", True),
    ("good morning", True),
    ("cuanto cuesta?", True),
    ("what time is check-in", True),
    ("luis.pardo@hotmail", True),
    ("luis.pardo hotmail.com", True),
    ("Ana García", False),
    ("I'm looking for a room", False),
    ("the booking is for tomorrow", False),
    ("Ana Pérez Gómez de la Vega Ruiz Ortiz Soler", True),
    ("Ana2", True),
]

EMAILS = [
    ("mi correo es Ana.Garcia@Example.com", "ana.garcia@example.com", None, None),
    ("luis.pardo@hotmail", None, "missing_domain_suffix", "luis.pardo@hotmail.com"),
    ("luis.pardo@gmail", None, "missing_domain_suffix", "luis.pardo@gmail.com"),
    ("luis.pardo@", None, "missing_domain", None),
    ("@gmail.com", None, "missing_local_part", None),
    ("luis.pardo hotmail.com", "luis.pardo@hotmail.com", None, None),
    ("luis.pardo at hotmail dot com", "luis.pardo@hotmail.com", None, None),
    ("luis.pardo arroba gmail punto com", "luis.pardo@gmail.com", None, None),
    ("luis.pardo@ hotmail.com", "luis.pardo@hotmail.com", None, None),
    ("ana@gmial.com", "ana@gmial.com", None, "ana@gmail.com"),
    ("ana@hotmial.com", "ana@hotmial.com", None, "ana@hotmail.com"),
    ("ana@gmail.co", "ana@gmail.co", None, "ana@gmail.com"),
    ("ana@outlook.es", "ana@outlook.es", None, None),
    ("juan@hotmail.co.uk", "juan@hotmail.co.uk", None, None),
    ("ana@example.com", "ana@example.com", None, None),
    ("we arrive at 5.30", None, None, None),
    ("my email is hotmail.com", None, None, None),
]

PHONES = [
    ("+1 617 555 0199", "+1 617 555 0199", None),
    ("612 34 56 78", "612 34 56 78", None),
    ("0034 612345678", "0034 612345678", None),
    ("(617) 555-0199", "(617) 555-0199", None),
    ("mi movil es 612345678", "612345678", None),
    ("6123", None, "too_short"),
    ("mi telefono es 6123", None, "too_short"),
    ("+34 612", None, "too_short"),
    ("el 12/05/2026", None, None),
    ("del 14 al 16", None, None),
    ("HA-7K3Q9M", None, None),
    ("2026-12-10 - 2026-12-12", None, None),
    ("somos 2", None, None),
]


@pytest.mark.parametrize(("text", "expecting", "name"), NAMES)
def test_names(text, expecting, name):
    assert read_contact(text, expecting_name=expecting).name == name


@pytest.mark.parametrize(("text", "expecting"), NOT_NAMES)
def test_not_names(text, expecting):
    assert read_contact(text, expecting_name=expecting).name is None


@pytest.mark.parametrize(("text", "email", "problem", "suggestion"), EMAILS)
def test_emails(text, email, problem, suggestion):
    contact = read_contact(text)

    assert (contact.email, contact.email_problem, contact.email_suggestion) == (email, problem, suggestion)
    assert extract_email(text) == email


@pytest.mark.parametrize(("text", "phone", "problem"), PHONES)
def test_phones(text, phone, problem):
    contact = read_contact(text)

    assert (contact.phone, contact.phone_problem) == (phone, problem)


def test_one_message_fills_every_slot():
    contact = read_contact("this is Mary Jones, mary@example.com, +1 617 555 0199")

    assert contact.name == "Mary Jones"
    assert (contact.email, contact.phone) == ("mary@example.com", "+1 617 555 0199")
    assert (contact.email_problem, contact.phone_problem) == (None, None)


def test_a_broken_email_is_an_attempt_not_a_name():
    contact = read_contact("luis.pardo@hotmail", expecting_name=True)

    assert looks_like_email_attempt("luis.pardo@hotmail")
    assert contact.name is None
    assert contact.email_problem == "missing_domain_suffix"
