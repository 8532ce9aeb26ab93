"""The corpus success rate: how often a guest gets what they came for.

Every conversation runs on Wednesday 2 December 2026 against the demo hotels, each
in a rolled-back savepoint so none sees another's bookings."""
import datetime
from collections import Counter

import pytest
import time_machine

from reservations.services.demo import demo_seed

from .corpus import CATEGORIES, CONVERSATIONS
from .corpus.model import rate, report, run_conversation

TODAY = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_corpus_success_rate(record_property):
    with time_machine.travel(TODAY, tick=False):
        demo_seed()
        failures = [f for f in (run_conversation(c) for c in CONVERSATIONS) if f is not None]
    table = report(CONVERSATIONS, failures)
    print("\n" + table)
    record_property("corpus_report", table)
    overall, single = rate(CONVERSATIONS, failures), rate(CONVERSATIONS, failures, "single_question")
    assert overall >= 0.95 and single >= 0.97, f"overall {overall:.0%}, single_question {single:.0%}\n{table}"


def test_corpus_is_big_enough_and_ids_are_unique():
    ids = Counter(c.id for c in CONVERSATIONS)
    assert [i for i, n in ids.items() if n > 1] == []
    assert len(CONVERSATIONS) >= 160
    per_category = Counter(c.category for c in CONVERSATIONS)
    assert set(per_category) == set(CATEGORIES)
    assert {c: n for c, n in per_category.items() if n < 8} == {}
    assert per_category["hotel_facts"] >= 20 and per_category["single_question"] >= 30
    languages = Counter(c.language for c in CONVERSATIONS)
    assert set(languages) == {"es", "en"}
    assert min(languages.values()) >= 0.4 * len(CONVERSATIONS)
