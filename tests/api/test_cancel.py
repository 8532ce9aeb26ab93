import pytest
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory, Reservation
from security.models import AuditEvent

pytestmark = pytest.mark.django_db


def cancel(client, code):
    return client.post(f"/api/v1/reservations/{code}/cancel/")


def rooms_booked(room_type):
    with scopes_disabled():
        nights = NightlyInventory.objects.filter(room_type=room_type)
        return sum(nights.values_list("rooms_booked", flat=True))


def test_cancelling_answers_with_the_cancelled_reservation(api, book):
    booked = book().json()

    response = cancel(api, booked["code"])

    assert response.status_code == 200
    assert response.json() == {**booked, "status": "cancelled"}


def test_cancelling_frees_the_rooms(api, book, standard):
    code = book().json()["code"]
    assert rooms_booked(standard) == 2

    cancel(api, code)

    assert rooms_booked(standard) == 0


def test_cancelling_is_audited(api, book, api_key):
    code = book().json()["code"]

    cancel(api, code)

    with scopes_disabled():
        event = AuditEvent.objects.get(action="reservation_cancelled")
    assert (event.resource, event.actor) == (f"reservation:{code}", f"api_key:{api_key.split('_')[1]}")


def test_cancelling_twice_changes_nothing(api, book, standard):
    code = book().json()["code"]
    first = cancel(api, code)

    again = cancel(api, code)

    assert again.status_code == 200
    assert again.json() == first.json()
    assert rooms_booked(standard) == 0
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="reservation_cancelled").count() == 1


def test_unknown_code_is_not_found(api):
    assert cancel(api, "HA-ZZZZZZ").status_code == 404


def test_another_hotels_reservation_is_not_found_and_stays_booked(api, harbor_booking):
    response = cancel(api, harbor_booking["code"])

    assert response.status_code == 404
    assert response.json() == cancel(api, "HA-ZZZZZZ").json()
    with scopes_disabled():
        assert Reservation.objects.get(code=harbor_booking["code"]).status == "confirmed"
