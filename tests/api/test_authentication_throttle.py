"""Guessing API keys is not free: past API_AUTH_FAILURES_PER_MINUTE wrong keys
(or wrong web-chat signatures) from one address, that address gets 429 for the
rest of the minute — right key or not — and one audit event for the burst."""
from unittest import mock

import pytest
from django.core.cache import cache
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from security.models import AuditEvent

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.API_AUTH_FAILURES_PER_MINUTE = LIMIT


def client_from(ip: str, key: str) -> APIClient:
    client = APIClient(REMOTE_ADDR=ip)
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def guess(ip: str, n: int) -> list[int]:
    return [client_from(ip, f"wrong-key-{i}").get("/api/v1/reservations/").status_code for i in range(n)]


def events(action: str) -> int:
    with scopes_disabled():
        return AuditEvent.objects.filter(action=action).count()


def test_wrong_keys_past_the_limit_get_429(db):
    assert guess("203.0.113.5", LIMIT + 3) == [401] * LIMIT + [429] * 3


def test_the_burst_is_audited_once_not_once_per_guess(db):
    guess("203.0.113.6", LIMIT + 20)

    assert events("api_authentication") == LIMIT
    assert events("api_authentication_throttled") == 1
    with scopes_disabled():
        event = AuditEvent.objects.get(action="api_authentication_throttled")
    assert (event.event_type, event.ip_address) == ("SUSPICIOUS_ACTIVITY", "203.0.113.6")


def test_a_throttled_address_is_refused_even_with_the_right_key(api_key, tenant):
    guess("203.0.113.7", LIMIT)

    response = client_from("203.0.113.7", api_key).get("/api/v1/reservations/")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


def test_other_addresses_are_not_affected(api_key, tenant):
    guess("203.0.113.8", LIMIT + 1)

    assert client_from("203.0.113.9", api_key).get("/api/v1/reservations/").status_code == 200


def test_requests_without_a_key_do_not_count_towards_the_limit(api_key, tenant):
    anonymous = APIClient(REMOTE_ADDR="203.0.113.10")
    assert {anonymous.get("/api/v1/reservations/").status_code for _ in range(LIMIT + 2)} == {401}

    assert client_from("203.0.113.10", api_key).get("/api/v1/reservations/").status_code == 200


def test_wrong_web_chat_signatures_count_too(tenant, standard):
    client = APIClient(REMOTE_ADDR="203.0.113.11")
    codes = [
        client.post("/api/v1/messages/", {"sender": "x", "text": "hola"}, format="json",
                    HTTP_X_SIGNATURE_256="sha256=" + "0" * 64, HTTP_X_TENANT=tenant.slug).status_code
        for _ in range(LIMIT + 1)
    ]

    assert codes == [401] * LIMIT + [429]


def shaped_like_a_key(i: int) -> str:
    return f"ha_{i:08x}_{'x' * 32}"


def test_wrong_keys_shaped_like_keys_past_the_limit_get_429(db):
    codes = [client_from("203.0.113.12", shaped_like_a_key(i)).get("/api/v1/reservations/").status_code
             for i in range(LIMIT + 2)]

    assert codes == [401] * LIMIT + [429] * 2


def test_a_throttled_guess_reads_no_table(db, django_assert_num_queries):
    for i in range(LIMIT + 1):  # the limit, then the burst's one audit event
        client_from("203.0.113.13", shaped_like_a_key(i)).get("/api/v1/reservations/")

    with django_assert_num_queries(0):
        response = client_from("203.0.113.13", shaped_like_a_key(99)).get("/api/v1/reservations/")

    assert response.status_code == 429


def test_the_key_and_the_addresss_failures_are_read_in_one_cache_round_trip(api_key, tenant):
    client = client_from("203.0.113.14", api_key)
    client.get("/api/v1/reservations/")  # the key is cached now
    reads, inside = [], []
    real_get, real_get_many = cache.get, cache.get_many

    def get(key, *args, **kwargs):
        if not inside:  # the local-memory cache's get_many calls get for each key
            reads.append([key])
        return real_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        reads.append(list(keys))
        inside.append(True)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    with mock.patch.object(cache, "get", get), mock.patch.object(cache, "get_many", get_many):
        response = client.get("/api/v1/reservations/")

    assert response.status_code == 200
    authentication_reads = [keys for keys in reads
                            if any(key.startswith(("api-key:", "throttle:")) for key in keys)]
    assert len(authentication_reads) == 1
    assert {key.split(":")[0] for key in authentication_reads[0]} == {"api-key", "throttle"}
