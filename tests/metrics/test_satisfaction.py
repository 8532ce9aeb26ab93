"""hotelagent_guest_satisfaction_score{tenant}: the average of the stay ratings of
the last 90 days, read at scrape time (one query for every hotel, kept 60 s)."""
import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone
from django_scopes import ScopeError, scopes_disabled

from reservations.metrics import guest_satisfaction
from reservations.models import GuestRating
from tests.factories import TenantFactory

from .conftest import scrape, value

pytestmark = pytest.mark.django_db


def rate(tenant, *ratings: int, days_ago: int = 1) -> None:
    with scopes_disabled():
        for rating in ratings:
            row = GuestRating.objects.create(tenant=tenant, score=rating, comment="")
            then = timezone.now() - datetime.timedelta(days=days_ago)
            GuestRating.objects.filter(pk=row.pk).update(created_at=then)


def score(page, tenant):
    return value(page, "hotelagent_guest_satisfaction_score", tenant=tenant.slug)


def test_the_score_is_the_average_rating_of_the_last_90_days(client, tenant, other_tenant):
    rate(tenant, 5, 4, 3, 4)
    rate(tenant, 1, days_ago=91)
    rate(other_tenant, 2)

    page = scrape(client)

    assert score(page, tenant) == 4.0
    assert score(page, other_tenant) == 2.0


def test_a_hotel_without_recent_ratings_has_no_score(client, tenant):
    rate(tenant, 5, days_ago=120)

    assert score(scrape(client), tenant) is None


def test_one_query_for_every_hotel_then_none_for_a_minute(django_assert_num_queries):
    for slug in ("one", "two", "three"):
        rate(TenantFactory(slug=slug), 4)

    with django_assert_num_queries(1):
        assert len(list(guest_satisfaction.collect())[0].samples) == 3
    with django_assert_num_queries(0):
        list(guest_satisfaction.collect())


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_is_one_to_five(tenant, rating):
    with pytest.raises(IntegrityError), scopes_disabled():
        GuestRating.objects.create(tenant=tenant, score=rating)


def test_ratings_are_scoped_to_their_hotel(tenant, other_tenant):
    rate(tenant, 5)
    rate(other_tenant, 3)

    assert [row.score for row in GuestRating.objects.with_scope(tenant=other_tenant).all()] == [3]
    with pytest.raises(ScopeError):
        list(GuestRating.objects.all())
