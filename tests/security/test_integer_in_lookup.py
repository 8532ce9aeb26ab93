"""A number no integer column can hold, in an `__in` list, matches nothing
instead of breaking the query (SQLite's driver raised OverflowError: a 500 from
any form with a model multiple choice field fed a huge id)."""
import pytest
from django_scopes import scopes_disabled

from reservations.models import RoomType

pytestmark = pytest.mark.django_db


def test_huge_ids_in_a_list_match_nothing_and_the_others_still_match(standard):
    with scopes_disabled():
        assert list(RoomType.objects.filter(pk__in=[10**30, -(10**30)])) == []
        assert list(RoomType.objects.filter(pk__in=[10**30, standard.pk])) == [standard]
        assert list(RoomType.objects.exclude(pk__in=[10**30])) == [standard]
