import argparse

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connections

from reservations.indexes import State, index_reports

DESCRIPTION = """\
Compare the live database with every index the models declare (Meta.indexes of
all installed apps) and create the missing ones. Nothing is ever dropped.

Run it after restoring a dump, on a database migrated by hand, and after a
failed CREATE INDEX CONCURRENTLY (it reports the INVALID index it left). It
prints one line per index: present, missing (--check), created, invalid
(PostgreSQL: pg_index.indisvalid is false; rebuild it with REINDEX INDEX
CONCURRENTLY, or drop it and run this again) or failed. Tables that got an
index are analyzed. Unique constraints and field indexes are left to migrate."""

EPILOG = """\
exit status:
  0  every declared index is present and valid (after creating the missing ones)
  1  an index is missing (--check), INVALID, failed to build or has no table"""

INVALID_HINT = (". An INVALID index is kept but never used: rebuild it with REINDEX INDEX CONCURRENTLY, "
                "or drop it and run setup_indexes again.")

STYLES = {State.CREATED: "SUCCESS", State.MISSING: "ERROR", State.INVALID: "ERROR",
          State.FAILED: "ERROR", State.NO_TABLE: "ERROR", State.UNSUPPORTED: "WARNING"}


class HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    pass


class Command(BaseCommand):
    help = DESCRIPTION

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(
            prog_name, subcommand, formatter_class=HelpFormatter, epilog=EPILOG, **kwargs
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true",
            help="Create nothing; exit 1 when an index is missing or INVALID.",
        )
        parser.add_argument(
            "--concurrently", action="store_true",
            help="PostgreSQL: CREATE INDEX CONCURRENTLY, which lets writes go on during the "
                 "build (ignored on SQLite).",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: %(default)s).",
        )

    def handle(self, *args, check, concurrently, database, **options):
        if concurrently and connections[database].vendor != "postgresql":
            self.stdout.write("SQLite has no concurrent builds: --concurrently is ignored.")
        try:
            reports = index_reports(database, create=not check, concurrently=concurrently)
        except NotSupportedError as error:
            raise CommandError(str(error)) from error
        self._print_table(reports)
        problems = [report for report in reports if report.is_problem]
        counts = {state: sum(r.state is state for r in reports) for state in State}
        summary = ", ".join(f"{count} {state}" for state, count in counts.items() if count)
        if problems:
            raise CommandError(f"{summary}: " + ", ".join(
                f"{report.index} {report.state}" for report in problems
            ) + (INVALID_HINT if counts[State.INVALID] else ""), returncode=1)
        self.stdout.write(self.style.SUCCESS(f"{len(reports)} indexes: {summary}."))

    def _print_table(self, reports):
        rows = [("table", "index", "state")] + [(r.table, r.index, str(r.state)) for r in reports]
        widths = [max(len(row[column]) for row in rows) for column in range(2)]
        for number, (table, index, state) in enumerate(rows):
            style = STYLES.get(state) if number else None
            shown = getattr(self.style, style)(state) if style else state
            self.stdout.write(f"{table:<{widths[0]}}  {index:<{widths[1]}}  {shown}")
        for report in reports:
            if report.error:
                self.stderr.write(f"{report.index}: {report.error}")
