import pytest

from tests.factories import stay

pytestmark = pytest.mark.django_db


def too_many_guests(client, tenant, **headers):
    check_in, check_out = stay(tenant=tenant)
    return client.get(
        "/api/v1/availability/", {"check_in": check_in, "check_out": check_out, "guests": 11}, **headers
    )


def test_a_spanish_hotel_gets_its_field_errors_in_spanish(api, tenant):
    response = too_many_guests(api, tenant)

    assert response.json() == {"guests": ["El número de huéspedes debe estar entre 1 y 10."]}
    assert response["Content-Language"] == "es"


def test_an_english_hotel_gets_them_in_english(other_api, other_tenant):
    response = too_many_guests(other_api, other_tenant)

    assert response.json() == {"guests": ["Guests must be between 1 and 10."]}
    assert response["Content-Language"] == "en"


def test_the_hotels_language_wins_over_the_callers(api, tenant):
    response = too_many_guests(api, tenant, HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["guests"] == ["El número de huéspedes debe estar entre 1 y 10."]


def test_framework_messages_follow_the_hotel_too(api, other_api):
    spanish = api.post("/api/v1/reservations/", {}, format="json").json()
    english = other_api.post("/api/v1/reservations/", {}, format="json").json()

    assert spanish["guests"] == ["Este campo es requerido."]
    assert english["guests"] == ["This field is required."]


def test_booking_rules_speak_spanish(book):
    response = book(guest_email="ana", guest_phone="12", check_out="2020-01-01", room_type="suite")

    assert response.json() == {
        "check_out": ["La fecha de salida debe ser posterior a la de entrada."],
        "guest_email": ["Introduzca una dirección de correo electrónico válida."],
        "guest_phone": ["Introduzca un número de teléfono válido."],
        "room_type": ["Tipo de habitación desconocido."],
    }


def test_booking_rules_speak_english_for_an_english_hotel(book, other_api, harbor_standard):
    response = book(client=other_api, guest_email="ana", guests=3, special_requests="x" * 1001)

    assert response.json() == {
        "guests": ["This room type takes at most 2 guests."],
        "guest_email": ["Enter a valid email address."],
        "guest_phone": ["Enter a valid phone number."],
        "special_requests": ["Ensure this text has at most 1000 characters (it has 1001)."],
    }
