import datetime

import pytest
from django_scopes import scopes_disabled

from reservations.models import NightlyInventory, Reservation
from security.models import AuditEvent
from tests.factories import stay

pytestmark = pytest.mark.django_db


def change(client, code, body, headers=None):
    return client.patch(f"/api/v1/reservations/{code}/", body, format="json", headers=headers)


def booked_dates(room_type) -> list[datetime.date]:
    with scopes_disabled():
        return list(NightlyInventory.objects.filter(room_type=room_type, rooms_booked__gt=0)
                    .order_by("date").values_list("date", flat=True))


def test_moving_a_stay_answers_with_the_repriced_reservation(api, book, standard, tenant):
    code = book().json()["code"]
    new_in, new_out = stay(days_ahead=15, nights=3, tenant=tenant)

    response = change(api, code, {"check_in": new_in.isoformat(), "check_out": new_out.isoformat()})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["check_in"], body["nights"], body["total"]) == (new_in.isoformat(), 3, "300.00")
    assert booked_dates(standard) == [new_in + datetime.timedelta(days=i) for i in range(3)]


def test_only_the_fields_sent_change(api, book):
    booked = book().json()

    response = change(api, booked["code"], {"special_requests": "Late arrival"})

    assert response.json() == {**booked, "special_requests": "Late arrival"}


def test_field_errors_have_the_booking_shape(api, book):
    code = book().json()["code"]

    response = change(api, code, {"guests": 0, "guest_email": "nope", "room_type": "castle"})

    assert response.status_code == 400
    assert set(response.json()) == {"guests", "guest_email", "room_type"}
    assert response.json()["room_type"] == book(room_type="castle").json()["room_type"]


def test_a_full_night_is_409_and_the_old_stay_is_kept(api, book, standard, tenant):
    code = book().json()["code"]
    full_in, full_out = stay(days_ahead=30, nights=1, tenant=tenant)
    for n in range(3):
        book(check_in=full_in.isoformat(), check_out=full_out.isoformat(),
             guest_email=f"g{n}@example.com", guest_phone=f"61100000{n}")

    response = change(api, code, {"check_in": full_in.isoformat(), "check_out": full_out.isoformat()})

    assert response.status_code == 409
    assert response.json() == {"error": "unavailable"}
    with scopes_disabled():
        assert Reservation.objects.get(code=code).check_in != full_in


def test_another_hotels_code_is_404(other_api, book, harbor_standard):
    code = book().json()["code"]

    response = change(other_api, code, {"guest_name": "Mallory"})

    assert response.status_code == 404
    with scopes_disabled():
        assert Reservation.objects.get(code=code).guest_name == "Ana García"


def test_a_cancelled_reservation_is_409_with_a_reason(api, book):
    code = book().json()["code"]
    api.post(f"/api/v1/reservations/{code}/cancel/")

    response = change(api, code, {"guest_name": "Ana"})

    assert response.status_code == 409
    assert response.json()["error"] == "reservation_not_changeable"
    assert code in response.json()["detail"]


def test_a_retry_with_the_same_key_is_replayed_and_changes_once(api, book, tenant):
    code = book().json()["code"]
    new_in, new_out = stay(days_ahead=15, nights=3, tenant=tenant)
    body = {"check_in": new_in.isoformat(), "check_out": new_out.isoformat()}

    first = change(api, code, body, headers={"Idempotency-Key": "move-1"})
    again = change(api, code, body, headers={"Idempotency-Key": "move-1"})

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="reservation_changed").count() == 1


def test_the_same_key_with_another_change_is_422(api, book):
    code = book().json()["code"]
    change(api, code, {"guest_name": "Ana López"}, headers={"Idempotency-Key": "k"})

    response = change(api, code, {"guest_name": "Ana Pérez"}, headers={"Idempotency-Key": "k"})

    assert response.status_code == 422


def test_a_booking_key_cannot_be_reused_for_a_change(api, book, booking_payload):
    booked = api.post("/api/v1/reservations/", booking_payload, format="json",
                      headers={"Idempotency-Key": "shared"}).json()

    response = change(api, booked["code"], booking_payload, headers={"Idempotency-Key": "shared"})

    assert response.status_code == 422
