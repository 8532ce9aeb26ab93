"""What a signed delivery costs the database: one statement, in autocommit.

Meta sends every delivery at least once and often twice; the floor is one durable
write per delivery, and the product stays at it: routing is answered in the process
(webhooks/resolution.py) and the message is `INSERT … ON CONFLICT DO NOTHING
RETURNING id` with no transaction, savepoint or IntegrityError around it
(webhooks/intake.py). These run outside a test transaction, so what is counted is
what production runs.
"""
import contextlib

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from webhooks.models import InboundMessage

from . import payloads

pytestmark = pytest.mark.django_db(transaction=True)


def delivery(wamid: str, sender: str = "34600000001") -> dict:
    message = payloads.text(wamid, "hola, teneis habitacion para el finde?", sender=sender)
    return payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, sender=sender, messages=[message]))


def statements(captured) -> list[str]:
    return [query["sql"] for query in captured.captured_queries]


def inserts(sql: list[str]) -> list[str]:
    return [s for s in sql if s.startswith("INSERT") and "webhooks_inboundmessage" in s]


@contextlib.contextmanager
def writes_in_atomic_blocks():
    """For each INSERT sent, whether it ran inside transaction.atomic (BEGIN and
    COMMIT, or a savepoint pair, around it) rather than as its own autocommit statement."""
    seen: list[bool] = []

    def wrapper(execute, sql, params, many, context):
        if sql.startswith("INSERT"):
            seen.append(connection.in_atomic_block)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


@pytest.fixture
def warm(meta, hotel_sol, no_processing):
    """One delivery first: the routing answer is in the process, as in steady traffic."""
    assert payloads.post(meta, delivery("wamid.first")).status_code == 200
    no_processing.clear()


def test_a_new_message_is_stored_by_one_statement(meta, warm, no_processing, django_assert_max_num_queries):
    with django_assert_max_num_queries(2) as captured, writes_in_atomic_blocks() as atomic:
        response = payloads.post(meta, delivery("wamid.new", sender="34600000002"))

    assert response.status_code == 200
    assert response.json()["stored"] == 1
    sql = statements(captured)
    assert len(inserts(sql)) == 1
    assert atomic == [False]  # one round trip: no BEGIN, no COMMIT
    assert not [s for s in sql if s.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN"))]
    assert not [s for s in sql if "tenants_" in s]  # routing: no hotel or channel row read
    with scopes_disabled():
        stored = InboundMessage.objects.get(external_id="wamid.new")
    assert (stored.sender_id, stored.text, stored.status) == (
        "34600000002", "hola, teneis habitacion para el finde?", "received",
    )
    assert no_processing == [(stored.pk,)]


def test_a_redelivery_is_the_same_one_statement_and_stores_nothing(meta, warm, no_processing,
                                                                   django_assert_max_num_queries):
    with django_assert_max_num_queries(2) as captured, writes_in_atomic_blocks() as atomic:
        response = payloads.post(meta, delivery("wamid.first"))

    assert response.status_code == 200
    assert response.json()["stored"] == 0
    assert len(inserts(statements(captured))) == 1
    assert atomic == [False]  # no transaction to roll back through an IntegrityError
    with scopes_disabled():
        assert InboundMessage.objects.filter(external_id="wamid.first").count() == 1
    assert no_processing == []  # not handed to a worker twice


def test_a_redelivery_leaves_the_stored_message_as_it_was(meta, warm, no_processing):
    with scopes_disabled():
        first = InboundMessage.objects.get(external_id="wamid.first")
        InboundMessage.objects.filter(pk=first.pk).update(status="processed")

    again = payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
        payloads.text("wamid.first", "otro texto con el mismo id"),
    ]))
    assert payloads.post(meta, again).status_code == 200

    with scopes_disabled():
        kept = InboundMessage.objects.get(pk=first.pk)
    assert (kept.text, kept.status) == (first.text, "processed")


def test_the_statement_count_does_not_grow_with_the_senders_history(meta, warm, no_processing,
                                                                     django_assert_max_num_queries):
    for n in range(5):
        assert payloads.post(meta, delivery(f"wamid.history.{n}")).status_code == 200

    with django_assert_max_num_queries(2):
        assert payloads.post(meta, delivery("wamid.sixth")).json()["stored"] == 1
