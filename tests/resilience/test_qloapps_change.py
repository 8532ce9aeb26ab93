"""Moving a reservation at a QloApps hotel: QloApps has no "modify booking", so
the new stay is booked there first and the old booking cancelled only once it
exists; a refusal leaves the guest's booking, ours and QloApps', as it was."""
import datetime

import pytest
from django_scopes import scopes_disabled

from reservations.models import Reservation

pytestmark = pytest.mark.django_db

RESERVATIONS = "/api/v1/reservations/"


@pytest.fixture
def booked(api, booking_payload, qlo_hotel, qlo):
    response = api.post(RESERVATIONS, booking_payload, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def moved(booked, days: int) -> dict:
    check_in = datetime.date.fromisoformat(booked["check_in"]) + datetime.timedelta(days=days)
    check_out = datetime.date.fromisoformat(booked["check_out"]) + datetime.timedelta(days=days)
    return {"check_in": check_in.isoformat(), "check_out": check_out.isoformat()}


def test_new_dates_are_a_new_qloapps_booking_and_the_old_one_is_cancelled(api, booked, qlo):
    [old] = qlo.live_bookings()
    new_dates = moved(booked, 10)

    response = api.patch(f"{RESERVATIONS}{booked['code']}/", new_dates, format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["check_in"], response.json()["check_out"]) == (
        new_dates["check_in"], new_dates["check_out"])
    [new] = qlo.live_bookings()
    assert new["id"] != old["id"]
    assert qlo.bookings[old["id"]]["status"] == 3  # cancelled in QloApps
    assert new["checkin"] == new_dates["check_in"]
    with scopes_disabled():
        reservation = Reservation.objects.get(code=booked["code"])
    assert reservation.external_reference == str(new["id"])
    assert reservation.check_in.isoformat() == new_dates["check_in"]


def test_new_dates_qloapps_has_no_room_for_keep_the_old_booking_everywhere(api, booked, qlo):
    [old] = qlo.live_bookings()
    new_dates = moved(booked, 10)
    for day in range(10, 12):  # every room taken on the new nights
        night = datetime.date.fromisoformat(booked["check_in"]) + datetime.timedelta(days=day)
        qlo.bookings[900 + day] = {"status": 1, "room_ids": list(qlo.room_types[11]["rooms"]),
                                   "nights": [night]}

    response = api.patch(f"{RESERVATIONS}{booked['code']}/", new_dates, format="json")

    assert response.status_code == 409, response.json()
    assert response.json()["error"] == "unavailable"
    assert qlo.bookings[old["id"]]["status"] != 3
    with scopes_disabled():
        reservation = Reservation.objects.get(code=booked["code"])
    assert reservation.check_in.isoformat() == booked["check_in"]
    assert reservation.external_reference == str(old["id"])
