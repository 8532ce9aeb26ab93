"""The indexes the models declare, compared with the ones the live database has.

`migrate` creates every index in `Meta.indexes`; this module finds the ones a
database lacks anyway (a dump restored without them, a schema migrated by hand)
and the ones PostgreSQL keeps but does not use because their build failed
(`pg_index.indisvalid = false`, what an interrupted `CREATE INDEX CONCURRENTLY`
leaves). It creates missing ones through the schema editor, so the SQL is the
migration's own, and never drops anything: an invalid index is reported for an
operator to rebuild.

It looks at `Meta.indexes` of every installed model this database migrates.
Unique constraints and the indexes of `db_index`/foreign-key fields are left
out: they belong to the table's own migration, and a unique constraint cannot be
created blindly on rows that may already break it.
"""
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from enum import StrEnum

from django.apps import apps
from django.db import DatabaseError, NotSupportedError, connections, router, transaction
from django.db.models import Index, Model


class State(StrEnum):
    PRESENT = "present"
    MISSING = "missing"
    CREATED = "created"
    INVALID = "invalid"
    FAILED = "failed"
    NO_TABLE = "no table"
    UNSUPPORTED = "unsupported"


PROBLEMS = {State.MISSING, State.INVALID, State.FAILED, State.NO_TABLE}


@dataclass(frozen=True)
class IndexReport:
    table: str
    index: str
    state: State
    error: str = ""

    @property
    def is_problem(self) -> bool:
        return self.state in PROBLEMS


@dataclass(frozen=True)
class DeclaredIndex:
    model: type[Model]
    index: Index

    @property
    def table(self) -> str:
        return self.model._meta.db_table


def declared_indexes(using: str = "default") -> list[DeclaredIndex]:
    """Every `Meta.indexes` entry of the models migrated on `using`, by table and name."""
    declared = [
        DeclaredIndex(model, index)
        for model in apps.get_models()
        if router.allow_migrate_model(using, model)
        for index in model._meta.indexes
    ]
    return sorted(declared, key=lambda d: (d.table, d.index.name))


def index_reports(using: str = "default", *, create: bool = False,
                  concurrently: bool = False) -> list[IndexReport]:
    """The state of each declared index, after creating the missing ones when
    `create` is true (`CREATE INDEX CONCURRENTLY` on PostgreSQL with
    `concurrently`, which must run outside a transaction), plus any other INVALID
    index on those tables. The tables that got an index are analyzed."""
    connection = connections[using]
    concurrently = concurrently and connection.vendor == "postgresql"
    if concurrently and connection.in_atomic_block:
        raise NotSupportedError("CREATE INDEX CONCURRENTLY cannot run inside a transaction.")
    declared = declared_indexes(using)
    tables = sorted({d.table for d in declared})
    live, invalid = _live_indexes(connection, tables), _invalid_indexes(connection, tables)
    reports = [_report(connection, item, live, invalid, create, concurrently) for item in declared]
    if touched := sorted({r.table for r in reports if r.state is State.CREATED}):
        _analyze(connection, touched)
    if any(r.state is State.FAILED for r in reports):
        invalid = _invalid_indexes(connection, tables)
        reports = [_recheck(r, invalid) for r in reports]
    declared_names = {(d.table, d.index.name) for d in declared}
    return reports + [
        IndexReport(table, name, State.INVALID)
        for table, name in sorted(invalid) if (table, name) not in declared_names
    ]


def _report(connection, item: DeclaredIndex, live, invalid, create: bool, concurrently: bool):
    state, error = _state(connection, item, live, invalid), ""
    if state is State.MISSING and create:
        state, error = _create(connection, item, concurrently)
    return IndexReport(item.table, item.index.name, state, error)


def _state(connection, item: DeclaredIndex, live, invalid) -> State:
    if item.table not in live:
        return State.NO_TABLE
    if item.index.contains_expressions and not connection.features.supports_expression_indexes:
        return State.UNSUPPORTED
    if (item.table, item.index.name) in invalid:
        return State.INVALID
    return State.PRESENT if item.index.name in live[item.table] else State.MISSING


def _create(connection, item: DeclaredIndex, concurrently: bool) -> tuple[State, str]:
    """Build one index with the SQL `AddIndex` (or `AddIndexConcurrently`) would run.
    The statement is executed directly rather than inside `schema_editor()`, which
    SQLite refuses to open within a transaction."""
    editor = connection.schema_editor(collect_sql=True)
    options = {"concurrently": True} if concurrently else {}
    sql = str(item.index.create_sql(item.model, editor, **options))
    try:
        in_transaction = nullcontext() if concurrently else transaction.atomic(using=connection.alias)
        with in_transaction, connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as error:
        return State.FAILED, str(error).strip()
    return State.CREATED, ""


def _recheck(report: IndexReport, invalid) -> IndexReport:
    """A build that failed concurrently leaves its index behind, INVALID."""
    if report.state is State.FAILED and (report.table, report.index) in invalid:
        return IndexReport(report.table, report.index, State.INVALID, report.error)
    return report


def _live_indexes(connection, tables: Iterable[str]) -> dict[str, set[str]]:
    """Index names of each existing table, from the database's own catalog."""
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        return {
            table: {
                name for name, info in connection.introspection.get_constraints(cursor, table).items()
                if info["index"]
            }
            for table in tables if table in existing
        }


def _invalid_indexes(connection, tables: list[str]) -> set[tuple[str, str]]:
    """(table, index) of the INVALID indexes on these tables; SQLite has none."""
    if connection.vendor != "postgresql" or not tables:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.relname, i.relname
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE NOT x.indisvalid AND t.relname = ANY(%s) AND pg_table_is_visible(t.oid)
            """,
            [list(tables)],
        )
        return set(cursor.fetchall())


def _analyze(connection, tables: list[str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
