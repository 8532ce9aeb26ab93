"""`manage.py setup_indexes`: what an operator sees after a restore that lost an
index, a failed concurrent build, and the repair. The first tests run on SQLite
and PostgreSQL alike; the ones about INVALID indexes and concurrent builds need
PostgreSQL."""
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from reservations.indexes import index_reports
from reservations.management.commands.setup_indexes import Command

pytestmark = pytest.mark.django_db


def needs_postgres(test):
    """INVALID indexes and CONCURRENTLY are PostgreSQL's."""
    test = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")(test)
    return pytest.mark.postgres(test)


def setup_indexes(*args) -> str:
    """The command's table; CommandError (exit status 1) propagates."""
    out = io.StringIO()
    call_command("setup_indexes", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def failing_setup_indexes(*args) -> tuple[str, CommandError]:
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("setup_indexes", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue(), raised.value


def state_of(output: str, index: str) -> str:
    line = next(line for line in output.splitlines() if f" {index} " in line)
    return line.split()[-1]


def drop_index(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")


def mark_invalid(name: str) -> None:
    """What a CREATE INDEX CONCURRENTLY that failed half-way leaves behind."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = %s::regclass", [name])


def test_a_migrated_database_has_every_declared_index():
    output = setup_indexes("--check")

    assert state_of(output, "reservation_dates") == "present"
    assert state_of(output, "inventory_availability") == "present"
    assert state_of(output, "inbound_sender") == "present"  # other apps' models are compared too
    assert "missing" not in output


def test_check_fails_naming_a_dropped_index_and_creates_nothing():
    drop_index("reservation_dates")

    output, error = failing_setup_indexes("--check")

    assert error.returncode == 1
    assert "reservation_dates missing" in str(error)
    assert state_of(output, "reservation_dates") == "missing"
    assert state_of(failing_setup_indexes("--check")[0], "reservation_dates") == "missing"  # still


def test_setup_recreates_a_dropped_index_and_check_passes_again():
    drop_index("reservation_dates")
    drop_index("inventory_availability")

    output = setup_indexes()

    assert state_of(output, "reservation_dates") == "created"
    assert state_of(output, "inventory_availability") == "created"
    assert state_of(output, "reservation_guest_email") == "present"
    assert state_of(setup_indexes("--check"), "reservation_dates") == "present"


def test_a_recreated_partial_index_keeps_its_condition():
    drop_index("reservation_confirmed")

    setup_indexes()

    with connection.cursor() as cursor:
        info = connection.introspection.get_constraints(cursor, "reservations_reservation")
    assert info["reservation_confirmed"]["columns"] == ["tenant_id", "created_at", "id"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'reservation_confirmed'")
            assert "WHERE ((status)::text = 'confirmed'::text)" in cursor.fetchone()[0]


def test_a_build_that_fails_is_reported_and_the_others_still_get_built():
    drop_index("reservation_dates")
    drop_index("reservation_status")
    with connection.cursor() as cursor:  # the name is taken: CREATE INDEX fails
        cursor.execute("CREATE TABLE reservation_dates (id integer)")

    output, error = failing_setup_indexes()

    assert state_of(output, "reservation_dates") == "failed"
    assert state_of(output, "reservation_status") == "created"
    assert "reservation_dates failed" in str(error)


def test_help_says_when_to_run_it_and_what_the_exit_status_means():
    text = Command().create_parser("manage.py", "setup_indexes").format_help()

    assert "after restoring a dump" in text
    assert "--concurrently" in text and "--check" in text
    assert "exit status:" in text and "1  an index is missing" in text


@needs_postgres
def test_an_invalid_index_is_reported_by_check():
    mark_invalid("reservation_guest_phone")

    output, error = failing_setup_indexes("--check")

    assert state_of(output, "reservation_guest_phone") == "invalid"
    assert "reservation_guest_phone invalid" in str(error)
    assert "REINDEX INDEX CONCURRENTLY" in str(error)


@needs_postgres
def test_setup_reports_an_invalid_index_and_drops_nothing():
    mark_invalid("reservation_guest_phone")
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX leftover_ccnew ON reservations_reservation (code)")
    mark_invalid("leftover_ccnew")

    output, error = failing_setup_indexes()

    assert state_of(output, "reservation_guest_phone") == "invalid"
    assert state_of(output, "leftover_ccnew") == "invalid"  # not declared, still on a model's table
    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, "reservations_reservation")
    assert {"reservation_guest_phone", "leftover_ccnew"} <= set(names)


@needs_postgres
def test_concurrently_is_refused_inside_a_transaction():
    drop_index("reservation_dates")

    _, error = failing_setup_indexes("--concurrently")

    assert "cannot run inside a transaction" in str(error)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrently_recreates_a_dropped_index_outside_a_transaction():
    drop_index("reservation_dates")
    statements = StatementLog()
    try:
        with connection.execute_wrapper(statements):
            output = setup_indexes("--concurrently")
        assert state_of(output, "reservation_dates") == "created"
        assert any(sql.startswith("CREATE INDEX CONCURRENTLY") for sql in statements.sql)
        assert 'ANALYZE "reservations_reservation"' in statements.sql
        assert state_of(setup_indexes("--check"), "reservation_dates") == "present"
    finally:  # DDL outside a transaction outlives the test: never leave the index dropped
        index_reports(create=True)


class StatementLog:
    def __init__(self):
        self.sql: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.sql.append(sql)
        return execute(sql, params, many, context)
