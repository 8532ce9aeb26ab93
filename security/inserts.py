"""Inserting a row unless a unique constraint already holds one like it.

`Model.save()` cannot say ON CONFLICT, and `bulk_create(ignore_conflicts=True)`
returns no ids. Catching IntegrityError instead costs a savepoint pair inside a
transaction (two round trips), and a failed statement outside one. Here the
conflict clause does it in the one INSERT: webhook intake stores a delivery in a
single autocommit statement, and a booking allocates its code without a
savepoint. It lives beside `locking` as the other piece of database plumbing
every app may use.

The statement is the ORM's own, compiled once per model and database: compiling
it again for every delivery cost more Python than sending it (~0.3 ms of a
webhook's ~2.4 ms). Each row's values are prepared as the ORM's insert prepares
them (`pre_save`, then `get_db_prep_save`).
"""
from functools import cache

from django.db import connections, models, router
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery


def insert_unless_conflict(row: models.Model) -> bool:
    """Insert `row` (not yet saved) in one statement, `INSERT … ON CONFLICT DO
    NOTHING RETURNING pk`; True, with `row.pk` set, when it went in, False when
    a unique constraint already held a row like it. The same fields as save()'s
    insert, `pre_save` (auto_now_add, defaults) included: the row names its
    tenant itself, as with the base manager. Any unique constraint counts as a
    conflict, so callers name what their model's constraints mean. Values are
    plain values, not expressions."""
    model = type(row)
    alias = router.db_for_write(model, instance=row)
    connection = connections[alias]
    params = [field.get_db_prep_save(field.pre_save(row, True), connection) for field in _fields(model)]
    with connection.cursor() as cursor:
        cursor.execute(insert_statement(model, alias), params)
        returned = cursor.fetchone()
    if returned is None:
        return False
    row.pk = returned[0]
    row._state.adding, row._state.db = False, alias
    return True


def _fields(model: type[models.Model]) -> list[models.Field]:
    meta = model._meta
    return [field for field in meta.local_concrete_fields if field is not meta.auto_field]


@cache
def insert_statement(model: type[models.Model], alias: str) -> str:
    """The SQL the ORM writes for one row of `model` with the conflict clause and
    RETURNING pk; the values a row gives it do not change it (none of these
    fields has a value-dependent placeholder, which is checked)."""
    fields = _fields(model)
    if any(hasattr(field, "get_placeholder") for field in fields):
        raise TypeError(f"{model.__name__} has a field whose placeholder depends on its value")
    query = InsertQuery(model, on_conflict=OnConflict.IGNORE)
    query.insert_values(fields, [model()])
    compiler = query.get_compiler(using=alias)
    compiler.returning_fields = [model._meta.pk]
    [(sql, _params)] = compiler.as_sql()
    return sql
