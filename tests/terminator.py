"""A PostgreSQL connection killed for real, as an operator's pg_terminate_backend
or a failover would: the tests of what survives a lost connection share it."""
import psycopg
from django.db import connection


class Terminator:
    """Kills this thread's database connection (the one open when it was made)
    from another connection, each time it is called."""

    def __init__(self):
        connection.ensure_connection()
        self.pid = connection.connection.info.backend_pid
        db = connection.settings_dict
        self.conninfo = psycopg.conninfo.make_conninfo(
            dbname=db["NAME"], user=db["USER"], host=db["HOST"] or None, port=db["PORT"] or None,
        )
        self.kills = 0

    def __call__(self) -> None:
        with psycopg.connect(self.conninfo, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [self.pid])
        self.kills += 1
