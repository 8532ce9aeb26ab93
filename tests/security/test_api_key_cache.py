"""A key in steady use is checked from the cache, without a query, and anything that
must stop it (revoking, a rotation's end, deleting it, a change to its hotel) stops
it on the very next request.

Outside a transaction, as requests are: a key read inside one is never cached (it
might be a row the transaction wrote and will roll back)."""
import datetime
import threading

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from reservations.models import Reservation
from security.api_keys import api_key_check, api_key_revoke, prefix_of
from security.models import ApiKey, AuditEvent
from security.rotation import rotate
from security.secret_store import API_KEY
from tests.factories import stay

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/reservations/"


def row_of(raw_key: str) -> ApiKey:
    with scopes_disabled():
        return ApiKey.objects.get(prefix=prefix_of(raw_key))


def key_or_hotel_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if '"security_apikey"' in q["sql"] or '"tenants_tenant"' in q["sql"]]


@pytest.fixture
def warm(api):
    """A key already in use this minute: its first request read the database and
    recorded last_used_at."""
    assert api.get(URL).status_code == 200
    return api


def test_a_key_in_use_is_checked_without_reading_keys_or_hotels(warm):
    with CaptureQueriesContext(connection) as queries:
        assert warm.get(URL).status_code == 200

    assert key_or_hotel_reads(queries) == []


def test_availability_with_a_key_in_use_costs_at_most_three_queries(
    warm, tenant, standard, django_assert_max_num_queries
):
    check_in, check_out = stay(nights=2, tenant=tenant)

    with django_assert_max_num_queries(3) as queries:
        response = warm.get("/api/v1/availability/",
                            {"check_in": check_in, "check_out": check_out, "guests": 2})

    assert response.status_code == 200
    assert response.json()["room_types"][0]["code"] == "standard"
    assert key_or_hotel_reads(queries) == []


def test_a_key_in_use_books_for_its_own_hotel(warm, tenant, booking_payload):
    response = warm.post(URL, booking_payload, format="json")

    assert response.status_code == 201, response.json()
    with scopes_disabled():
        assert [r.code for r in Reservation.objects.filter(tenant=tenant)] == [response.json()["code"]]
    assert warm.get(URL).json()["count"] == 1


def test_a_revoked_key_is_refused_on_the_very_next_request(warm, api_key):
    api_key_revoke(api_key=row_of(api_key))

    assert warm.get(URL).status_code == 401


def test_a_deleted_key_is_refused_on_the_very_next_request(warm, api_key):
    row_of(api_key).delete()

    assert warm.get(URL).status_code == 401


def test_a_deactivated_hotels_key_is_refused_on_the_very_next_request(warm, tenant):
    tenant.is_active = False
    tenant.save()

    assert warm.get(URL).status_code == 401
    with scopes_disabled():
        assert AuditEvent.objects.filter(tenant=tenant).latest("id").details["reason"] == "inactive_tenant"


def test_a_change_to_the_hotel_is_seen_by_the_next_request(warm, tenant):
    tenant.language = "en"
    tenant.save()

    assert warm.get(URL)["Content-Language"] == "en"


def test_a_rotated_key_works_from_the_cache_until_its_overlap_ends(
    warm, api_key, tenant, django_assert_num_queries
):
    now = timezone.now()
    rotate(API_KEY, tenant, force=True, now=now)
    ends = row_of(api_key).expires_at
    assert warm.get(URL).status_code == 200  # cached again, with its expires_at

    with django_assert_num_queries(0):
        assert api_key_check(api_key, now=ends - datetime.timedelta(seconds=1)) is not None
        assert api_key_check(api_key, now=ends) is None


def test_the_api_refuses_a_cached_rotated_key_once_its_overlap_ends(api, api_key, tenant):
    overlap = datetime.timedelta(days=7)  # secret_store.POLICIES[API_KEY].overlap
    rotate(API_KEY, tenant, force=True, now=timezone.now() - overlap + datetime.timedelta(seconds=30))
    ends = row_of(api_key).expires_at
    assert api.get(URL).status_code == 200

    after_the_end = ends + datetime.timedelta(seconds=1)
    with time_machine.travel(after_the_end), CaptureQueriesContext(connection) as queries:
        assert api.get(URL).status_code == 401

    assert not any(q["sql"].startswith("SELECT") and '"security_apikey"' in q["sql"] for q in queries)


def test_a_wrong_secret_is_refused_while_the_right_key_is_cached(warm, api_key):
    warm.credentials(HTTP_AUTHORIZATION=f"Api-Key ha_{prefix_of(api_key)}_not-the-secret")

    assert warm.get(URL).status_code == 401


def test_a_key_in_use_still_records_its_use_each_minute(warm, api_key):
    first_use = row_of(api_key).last_used_at

    with time_machine.travel(first_use + datetime.timedelta(seconds=61)):
        assert warm.get(URL).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert warm.get(URL).status_code == 200

    assert row_of(api_key).last_used_at > first_use + datetime.timedelta(seconds=60)
    assert key_or_hotel_reads(queries) == []  # the cached row has the new use: no second UPDATE


def test_with_the_cache_unreachable_the_database_checks_the_key(api_key, tenant, cache_down, caplog):

    api_key_checked = api_key_check(api_key)

    assert (api_key_checked.tenant, api_key_checked.prefix) == (tenant, prefix_of(api_key))
    assert "API key checked without the cache" in caplog.text


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite locks readers out of a write")
def test_a_request_that_read_the_key_before_its_revocation_committed_cannot_keep_it_working(warm, api_key):
    """Another worker checks the key while the revocation is written but not yet
    committed: it reads the old row, and caches it. The commit still stops the key."""
    seen_by_other_worker = []

    def other_worker():
        try:
            seen_by_other_worker.append(api_key_check(api_key))
        finally:
            connection.close()

    with transaction.atomic():
        api_key_revoke(api_key=row_of(api_key))
        worker = threading.Thread(target=other_worker)
        worker.start()
        worker.join(timeout=30)

    assert seen_by_other_worker[0] is not None  # the row before the commit: the key still worked
    assert warm.get(URL).status_code == 401
