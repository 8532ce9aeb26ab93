"""insert_unless_conflict: the ORM's own INSERT … ON CONFLICT DO NOTHING, written
once per model, with each row's values prepared as the ORM prepares them."""
import datetime

import pytest
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django_scopes import scopes_disabled

from security.inserts import _fields, insert_statement, insert_unless_conflict
from webhooks.models import InboundMessage

pytestmark = pytest.mark.django_db


def message(tenant, external_id="wamid.1", **fields):
    return InboundMessage(
        tenant=tenant, channel="whatsapp", account_external_id="100200300", external_id=external_id,
        sender_id="34600111222", message_type="text", text=fields.pop("text", "hola"),
        payload={"text": {"body": "hola"}, "emoji": "🙂"}, sent_at=timezone.now(), **fields,
    )


def test_the_statement_is_the_orms_own(tenant):
    row = message(tenant)
    query = InsertQuery(InboundMessage, on_conflict=OnConflict.IGNORE)
    query.insert_values(_fields(InboundMessage), [row])
    compiler = query.get_compiler(using="default")
    compiler.returning_fields = [InboundMessage._meta.pk]
    [(orm_sql, _params)] = compiler.as_sql()

    assert insert_statement(InboundMessage, "default") == orm_sql


def test_a_new_row_goes_in_with_its_id_defaults_and_values(tenant):
    before = timezone.now()
    row = message(tenant, text="¿hay sitio el viernes?")

    assert insert_unless_conflict(row) is True

    assert row.pk is not None and not row._state.adding
    with scopes_disabled():
        stored = InboundMessage.objects.get(pk=row.pk)
    assert stored.text == "¿hay sitio el viernes?"
    assert stored.payload == {"text": {"body": "hola"}, "emoji": "🙂"}
    assert stored.status == InboundMessage.Status.RECEIVED
    assert before - datetime.timedelta(seconds=1) <= stored.received_at <= timezone.now()
    assert stored.tenant_id == tenant.pk


def test_a_row_like_one_stored_goes_nowhere_and_the_first_stays(tenant):
    first = message(tenant, text="first")
    assert insert_unless_conflict(first)

    again = message(tenant, text="second")

    assert insert_unless_conflict(again) is False
    assert again.pk is None
    with scopes_disabled():
        assert list(InboundMessage.objects.values_list("text", flat=True)) == ["first"]


def test_one_statement_per_row(tenant, django_assert_num_queries):
    insert_unless_conflict(message(tenant, external_id="wamid.a"))

    with django_assert_num_queries(1) as captured:
        insert_unless_conflict(message(tenant, external_id="wamid.b"))

    sql = captured.captured_queries[0]["sql"].upper()
    assert "ON CONFLICT DO NOTHING" in sql or "INSERT OR IGNORE" in sql  # PostgreSQL's or SQLite's words
