"""An API key's "last used" follows its requests, to the minute, at the cost of one
UPDATE a minute per key in use."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from security.api_keys import api_key_check, api_key_mark_used, prefix_of
from security.models import ApiKey

pytestmark = pytest.mark.django_db

URL = "/api/v1/reservations/"


def stored_last_used(prefix: str):
    with scopes_disabled():
        return ApiKey.objects.get(prefix=prefix).last_used_at


def key_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and ApiKey._meta.db_table in q["sql"]]


def test_a_key_never_used_shows_no_last_use(api_key):
    assert stored_last_used(prefix_of(api_key)) is None


def test_the_first_request_records_when_the_key_was_used(api, api_key):
    before = timezone.now()

    assert api.get(URL).status_code == 200

    assert before <= stored_last_used(prefix_of(api_key)) <= timezone.now()


def test_requests_within_the_minute_write_nothing(api, api_key):
    api.get(URL)
    first_use = stored_last_used(prefix_of(api_key))

    with CaptureQueriesContext(connection) as queries:
        assert api.get(URL).status_code == 200

    assert key_writes(queries) == []
    assert stored_last_used(prefix_of(api_key)) == first_use


def test_a_request_a_minute_later_records_the_new_use(api, api_key):
    prefix = prefix_of(api_key)
    a_minute_ago = timezone.now() - datetime.timedelta(seconds=61)
    with scopes_disabled():
        ApiKey.objects.filter(prefix=prefix).update(last_used_at=a_minute_ago)

    api.get(URL)

    assert stored_last_used(prefix) > a_minute_ago + datetime.timedelta(seconds=60)


def test_a_refused_key_records_no_use(api, api_key):
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key}x")

    assert api.get(URL).status_code == 401
    assert stored_last_used(prefix_of(api_key)) is None


def test_of_two_requests_that_read_the_key_at_once_one_writes(api_key):
    now = timezone.now()
    first, second = api_key_check(api_key), api_key_check(api_key)

    api_key_mark_used(first, now=now)
    api_key_mark_used(second, now=now + datetime.timedelta(seconds=5))

    assert stored_last_used(prefix_of(api_key)) == now
