"""What Meta's side of the webhook sees at the HTTP level: JSON answers for every
outcome, compact as before, and a clear 405 for methods Meta never uses. The view
is plain Django (no DRF), so these are the answers it writes itself."""
import json

import pytest
from django.test import Client

from . import payloads

pytestmark = pytest.mark.django_db

URL = "/webhooks/whatsapp/"


def test_a_stored_delivery_is_answered_in_compact_json(meta, hotel_sol, no_processing):
    delivery = payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
        payloads.text("wamid.http.1", "Hola, ¿hay sitio?")]))

    response = payloads.post(meta, delivery)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == b'{"received":1,"stored":1,"statuses":0,"dropped":0}'
    assert len(no_processing) == 1


@pytest.mark.parametrize(("payload", "status", "error"), [
    (b"{not json", 400, "invalid_payload"),
    ({"object": "page", "entry": []}, 400, "invalid_payload"),
])
def test_a_signed_delivery_that_does_not_fit_gets_json_with_its_errors(meta, payload, status, error):
    response = payloads.post(meta, payload)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["error"] == error and body["detail"]


@pytest.mark.parametrize(("headers", "status", "error"), [
    ({}, 401, "signature_missing"),
    ({"HTTP_X_HUB_SIGNATURE_256": "sha256=" + "0" * 64}, 403, "signature_invalid"),
])
def test_refusals_are_json(meta, headers, status, error):
    body, _ = payloads.signed(payloads.delivery())

    response = meta.post(URL, data=body, content_type="application/json", **headers)

    assert (response.status_code, response.json()) == (status, {"error": error})


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_get_405_naming_the_allowed_ones(meta, method):
    response = getattr(meta, method)(URL, data=b"{}", content_type="application/json")

    assert response.status_code == 405
    assert response.json() == {"detail": f'Method "{method.upper()}" not allowed.'}
    assert {m.strip() for m in response["Allow"].split(",")} >= {"GET", "POST"}


def test_no_csrf_token_is_asked_of_meta(hotel_sol, no_processing):
    strict = Client(enforce_csrf_checks=True)
    delivery = payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
        payloads.text("wamid.http.csrf", "hola")]))

    assert payloads.post(strict, delivery).status_code == 200




@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401), ({"HTTP_X_HUB_SIGNATURE_256": "sha256=" + "0" * 64}, 403),
])
def test_with_the_cache_down_a_refusal_is_still_answered(meta, cache_down, headers, status):
    body, _ = payloads.signed(payloads.delivery())

    response = meta.post(URL, data=body, content_type="application/json", **headers)

    assert response.status_code == status


def test_with_the_cache_down_a_signed_delivery_is_stored(meta, hotel_sol, cache_down, no_processing):
    delivery = payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
        payloads.text("wamid.http.nocache", "hola")]))

    response = payloads.post(meta, delivery)

    assert (response.status_code, response.json()["stored"]) == (200, 1)
