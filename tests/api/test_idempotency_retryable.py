"""Answers meant to be retried are not kept against an Idempotency-Key (as in
pretix: 409, 429 and 5xx): the retry is answered afresh. Final answers are replayed."""
import pytest
from django_scopes import scopes_disabled
from rest_framework.response import Response
from rest_framework.test import APIClient

from reservations.api import views
from reservations.api.idempotency import fingerprint_of, is_final
from reservations.errors import Busy, PMSUnavailable
from reservations.models import IdempotentRequest, Reservation
from tests.factories import BlacklistEntryFactory, RoomTypeFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/reservations/"


def key(value):
    return {"Idempotency-Key": value}


def stored(value):
    with scopes_disabled():
        return IdempotentRequest.objects.filter(key=value).first()


def reservation_count():
    with scopes_disabled():
        return Reservation.objects.count()


@pytest.fixture
def last_room(tenant):
    return RoomTypeFactory(tenant=tenant, code="suite", name="Suite", max_guests=2, room_count=1)


def test_a_retry_books_the_room_freed_after_its_409(api, api_key, book, last_room):
    first = book(room_type="suite", headers=key("K1"))
    assert first.status_code == 201
    other_client = APIClient()
    other_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key}")
    second_guest = {"room_type": "suite", "guest_email": "otro@example.com", "guest_phone": "699111222"}

    refused = book(client=other_client, **second_guest, headers=key("K2"))
    assert (refused.status_code, refused.json()) == (409, {"error": "unavailable"})
    api.post(f"{URL}{first.json()['code']}/cancel/")
    retry = book(client=other_client, **second_guest, headers=key("K2"))

    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry
    assert retry.json()["guest_email"] == "otro@example.com"
    assert stored("K2").response_status == 201


def test_a_409_unavailable_is_not_stored(book, last_room):
    book(room_type="suite", headers=key("K1"))

    book(room_type="suite", guest_email="otro@example.com", guest_phone="699111222", headers=key("K2"))

    assert stored("K2") is None


def test_the_guests_limit_is_not_replayed_once_a_reservation_is_cancelled(api, book, tenant):
    tenant.max_active_reservations_per_guest = 1
    tenant.save()
    earlier = book(headers=key("first"))

    assert book(headers=key("second")).json() == {"error": "active_reservation_limit"}
    api.post(f"{URL}{earlier.json()['code']}/cancel/")

    assert book(headers=key("second")).status_code == 201


def test_a_busy_answer_says_when_to_retry_and_is_not_stored(book, monkeypatch):
    real_create = views.reservation_create

    def busy(**kwargs):
        raise Busy(retry_after=2)

    monkeypatch.setattr(views, "reservation_create", busy)
    response = book(headers=key("busy-1"))

    assert response.status_code == 409
    assert response.json() == {"error": "busy", "retry_after": 2}
    assert response["Retry-After"] == "2"
    assert stored("busy-1") is None
    monkeypatch.setattr(views, "reservation_create", real_create)
    assert book(headers=key("busy-1")).status_code == 201


def test_busy_without_an_idempotency_key_is_a_409_too(book, monkeypatch):
    def busy(**kwargs):
        raise Busy()

    monkeypatch.setattr(views, "reservation_create", busy)
    response = book()

    assert response.status_code == 409
    assert response.json()["error"] == "busy"
    assert int(response["Retry-After"]) >= 1


def test_a_503_is_not_stored(book, monkeypatch):
    def down(**kwargs):
        raise PMSUnavailable(retry_after=7)

    monkeypatch.setattr(views, "reservation_create", down)
    response = book(headers=key("down-1"))

    assert (response.status_code, response["Retry-After"]) == (503, "7")
    assert stored("down-1") is None


def test_a_request_in_progress_answer_says_when_to_retry(book, tenant, booking_payload):
    IdempotentRequest.objects.create(
        tenant=tenant, key="running", fingerprint=fingerprint_of(booking_payload)
    )

    response = book(headers=key("running"))

    assert response.status_code == 409
    assert response.json() == {"error": "idempotency_request_in_progress"}
    assert int(response["Retry-After"]) >= 1


def test_a_created_reservation_is_still_replayed(book):
    first = book(headers=key("final-201"))

    retry = book(headers=key("final-201"))

    assert (retry.status_code, retry["Idempotent-Replayed"]) == (201, "true")
    assert retry.json() == first.json()
    assert reservation_count() == 1


def test_a_field_error_is_still_replayed(book):
    book(guests=9, headers=key("final-400"))

    retry = book(guests=9, headers=key("final-400"))

    assert (retry.status_code, retry["Idempotent-Replayed"]) == (400, "true")


def test_a_blacklisted_guest_is_still_replayed(book, tenant):
    BlacklistEntryFactory(tenant=tenant, email="ana.garcia@example.com")
    book(headers=key("final-403"))

    retry = book(headers=key("final-403"))

    assert (retry.status_code, retry["Idempotent-Replayed"]) == (403, "true")


def test_a_reused_key_keeps_being_refused_and_the_first_answer_kept(book):
    first = book(headers=key("final-422"))

    assert book(guests=1, headers=key("final-422")).status_code == 422
    assert book(guests=1, headers=key("final-422")).status_code == 422
    assert book(headers=key("final-422")).json() == first.json()


@pytest.mark.parametrize(("status", "final"), [
    (201, True), (400, True), (403, True), (404, True), (422, True),
    (409, False), (429, False), (500, False), (502, False), (503, False),
])
def test_which_answers_are_final(status, final):
    assert is_final(Response(status=status)) is final
