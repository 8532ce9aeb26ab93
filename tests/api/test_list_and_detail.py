import datetime

import pytest
from django_scopes import scopes_disabled

from reservations.models import Reservation

pytestmark = pytest.mark.django_db

URL = "/api/v1/reservations/"


def codes(response):
    return [reservation["code"] for reservation in response.json()["results"]]


@pytest.fixture
def three_bookings(book, tenant):
    """Three stays of different guests, booked in this order; the second one cancelled."""
    today = tenant.local_today()
    made = []
    for n, days_ahead in enumerate((10, 20, 30)):
        check_in = today + datetime.timedelta(days=days_ahead)
        made.append(book(
            check_in=check_in.isoformat(), check_out=(check_in + datetime.timedelta(days=2)).isoformat(),
            guest_email=f"guest{n}@example.com", guest_phone=f"61234567{n}",
        ).json())
    with scopes_disabled():
        Reservation.objects.filter(code=made[1]["code"]).update(status="cancelled")
    return made


def test_lists_the_hotels_reservations_newest_first(api, three_bookings):
    response = api.get(URL)

    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert codes(response) == [r["code"] for r in reversed(three_bookings)]
    assert response.json()["results"][0] == three_bookings[2]


def test_filters_by_status(api, three_bookings):
    assert codes(api.get(URL, {"status": "cancelled"})) == [three_bookings[1]["code"]]


def test_filters_by_guest_email_whatever_its_case(api, three_bookings):
    assert codes(api.get(URL, {"guest_email": " Guest2@Example.COM "})) == [three_bookings[2]["code"]]


def test_filters_by_check_in_range(api, three_bookings):
    response = api.get(URL, {
        "check_in_from": three_bookings[1]["check_in"], "check_in_to": three_bookings[1]["check_in"],
    })

    assert codes(response) == [three_bookings[1]["code"]]


@pytest.mark.parametrize("params", [
    {"status": "pending"}, {"check_in_from": "2026-02-30"}, {"check_in_to": "soon"},
])
def test_bad_filters_are_field_errors(api, params):
    response = api.get(URL, params)

    assert response.status_code == 400
    assert list(response.json()) == list(params)


def test_pages_hold_fifty(api, tenant, standard):
    check_in = tenant.local_today() + datetime.timedelta(days=5)
    with scopes_disabled():
        Reservation.objects.bulk_create(
            Reservation(
                tenant=tenant, room_type=standard, guest_name=f"Guest {n}", guest_email=f"g{n}@example.com",
                guest_phone="+34612345678", guests=1, check_in=check_in,
                check_out=check_in + datetime.timedelta(days=1), nights=1, nightly_rates=["100.00"],
                subtotal="100.00", total="100.00", currency="EUR", source="api",
            )
            for n in range(51)
        )

    first, second = api.get(URL), api.get(URL, {"page": 2})

    assert len(first.json()["results"]) == 50
    assert first.json()["next"].endswith("?page=2")
    assert len(second.json()["results"]) == 1
    assert second.json()["next"] is None
    assert api.get(URL, {"page": 3}).status_code == 404


def test_other_hotels_reservations_are_not_listed(api, harbor_booking):
    assert api.get(URL).json()["count"] == 0


def test_shows_one_reservation(api, book):
    booked = book().json()

    response = api.get(f"{URL}{booked['code']}/")

    assert response.status_code == 200
    assert response.json() == booked


def test_unknown_code_is_not_found(api):
    response = api.get(f"{URL}HA-ZZZZZZ/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No hay ninguna reserva con este código."}


def test_another_hotels_reservation_looks_just_like_an_unknown_one(api, harbor_booking):
    theirs, unknown = api.get(f"{URL}{harbor_booking['code']}/"), api.get(f"{URL}HA-ZZZZZZ/")

    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == unknown.json()
