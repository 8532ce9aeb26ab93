import datetime
import json
import threading

import pytest
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from reservations.api import views
from reservations.api.idempotency import fingerprint_of
from reservations.models import IdempotentRequest, Reservation

pytestmark = pytest.mark.django_db

URL = "/api/v1/reservations/"


def key(value):
    return {"Idempotency-Key": value}


def reservation_count():
    with scopes_disabled():
        return Reservation.objects.count()


def stored(value):
    with scopes_disabled():
        return IdempotentRequest.objects.filter(key=value).first()


def in_flight(tenant, value, body, *, claimed_minutes_ago):
    """The row a first request leaves while it runs: no response yet."""
    request = IdempotentRequest.objects.create(tenant=tenant, key=value, fingerprint=fingerprint_of(body))
    claimed_at = timezone.now() - datetime.timedelta(minutes=claimed_minutes_ago)
    with scopes_disabled():
        IdempotentRequest.objects.filter(pk=request.pk).update(created_at=claimed_at)


def test_a_retry_gets_the_first_response_without_booking_again(book):
    first = book(headers=key("retry-1"))
    retry = book(headers=key("retry-1"))

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert reservation_count() == 1


def test_key_order_and_spacing_of_the_body_do_not_matter(api, book, booking_payload):
    first = book(headers=key("retry-2"))
    reordered = json.dumps(dict(reversed(list(booking_payload.items()))), indent=2)

    retry = api.post(URL, reordered, content_type="application/json", headers=key("retry-2"))

    assert retry.json() == first.json()
    assert reservation_count() == 1


def test_a_refusal_is_replayed_too(book):
    first = book(guests=9, headers=key("retry-3"))
    retry = book(guests=9, headers=key("retry-3"))

    assert first.status_code == retry.status_code == 400
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"


def test_the_same_key_with_another_body_is_refused(book):
    book(headers=key("retry-4"))

    response = book(guests=1, headers=key("retry-4"))

    assert response.status_code == 422
    assert response.json() == {"error": "idempotency_key_reused"}
    assert reservation_count() == 1


def test_a_duplicate_of_a_request_still_running_is_told_to_wait(book, tenant, booking_payload):
    in_flight(tenant, "retry-5", booking_payload, claimed_minutes_ago=0)

    response = book(headers=key("retry-5"))

    assert response.status_code == 409
    assert response.json() == {"error": "idempotency_request_in_progress"}
    assert reservation_count() == 0


def test_a_request_that_died_long_ago_does_not_block_its_key(book, tenant, booking_payload):
    in_flight(tenant, "retry-8", booking_payload, claimed_minutes_ago=6)

    response = book(headers=key("retry-8"))

    assert response.status_code == 201
    assert stored("retry-8").response_status == 201


def test_the_outcome_is_stored_against_the_key(book, tenant):
    body = book(headers=key("retry-6")).json()

    record = stored("retry-6")
    assert (record.tenant, record.response_status, record.response_body) == (tenant, 201, body)


def test_keys_belong_to_one_hotel(book, other_api, harbor_payload):
    book(headers=key("shared-key"))

    response = other_api.post(URL, harbor_payload, format="json", headers=key("shared-key"))

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert reservation_count() == 2


def test_without_a_key_every_post_books(book):
    book()
    book(guest_email="otra@example.com", guest_phone="699111222")

    assert reservation_count() == 2


def test_a_key_of_255_characters_is_accepted(book):
    assert book(headers=key("k" * 255)).status_code == 201


@pytest.mark.parametrize("value", ["k" * 256, "   ", "bad\x00key"])
def test_a_malformed_key_is_a_field_error_on_the_header(book, value):
    response = book(headers=key(value))

    assert response.status_code == 400
    assert list(response.json()) == ["Idempotency-Key"]
    assert reservation_count() == 0


def test_a_too_long_key_says_so(book):
    response = book(headers=key("k" * 300))

    assert response.json() == {
        "Idempotency-Key": ["Asegúrese de que esta cabecera tenga como máximo 255 caracteres (tiene 300)."]
    }


def test_an_unexpected_failure_releases_the_key(book, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("PMS unreachable")

    monkeypatch.setattr(views, "reservation_create", crash)
    with pytest.raises(RuntimeError):
        book(headers=key("retry-7"))
    monkeypatch.undo()

    assert stored("retry-7") is None
    assert book(headers=key("retry-7")).status_code == 201


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent PostgreSQL transactions")
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_duplicate_waits_for_the_first(book, api_key, monkeypatch):
    booking_started, may_finish = threading.Event(), threading.Event()
    real_create = views.reservation_create

    def slow_create(**kwargs):
        booking_started.set()
        assert may_finish.wait(10)
        return real_create(**kwargs)

    monkeypatch.setattr(views, "reservation_create", slow_create)
    responses = {}

    def first_request():
        try:
            responses["first"] = book(headers=key("race"))
        finally:
            connection.close()

    thread = threading.Thread(target=first_request)
    thread.start()
    assert booking_started.wait(10)
    second_client = APIClient()
    second_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key}")
    duplicate = book(client=second_client, headers=key("race"))
    may_finish.set()
    thread.join(10)

    assert duplicate.status_code == 409
    assert duplicate.json() == {"error": "idempotency_request_in_progress"}
    assert responses["first"].status_code == 201
    assert book(headers=key("race")).json() == responses["first"].json()
    assert reservation_count() == 1
