"""Inserting a row unless a unique constraint already holds one like it.

`Model.save()` cannot say ON CONFLICT, and `bulk_create(ignore_conflicts=True)`
returns no ids. Catching IntegrityError instead costs a savepoint pair inside a
transaction (two round trips), and a failed statement outside one. Here the
conflict clause does it in the one INSERT: webhook intake stores a delivery in a
single autocommit statement, and a booking allocates its code without a
savepoint. It lives beside `locking` as the other piece of database plumbing
every app may use.
"""
from django.db import models
from django.db.models.constants import OnConflict


def insert_unless_conflict(row: models.Model) -> bool:
    """Insert `row` (not yet saved) in one statement, `INSERT … ON CONFLICT DO
    NOTHING RETURNING pk`; True, with `row.pk` set, when it went in, False when
    a unique constraint already held a row like it. The same fields as save()'s
    insert, `pre_save` (auto_now_add, defaults) included, through the base
    manager as save() does: the row names its tenant itself. Any unique
    constraint counts as a conflict, so callers name what their model's
    constraints mean."""
    model = type(row)
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
    returned = model._base_manager._insert(
        [row], fields=fields, returning_fields=[meta.pk], on_conflict=OnConflict.IGNORE,
    )
    if not returned or returned[0] is None:
        return False
    row.pk = returned[0][0]
    row._state.adding, row._state.db = False, model._base_manager.db
    return True
