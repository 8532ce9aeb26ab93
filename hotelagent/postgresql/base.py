"""Django's PostgreSQL backend, minus the health check's round trip under load.

CONN_HEALTH_CHECKS makes Django send `SELECT 1` before the first query of every
request or task, so a connection the server dropped while idle (a restart, a
failover, an idle timeout) is replaced instead of failing the request. Under
steady traffic that check is a round trip per request spent proving what the
previous request just proved: the webhook's whole database work is one INSERT,
and the check doubled it.

Here a connection whose last request or task ended less than
`HEALTH_CHECK_GRACE_SECONDS` ago with every statement answered (Django closes
or checks a connection that saw an error itself) is taken as alive; one idle
longer is checked as before. What the grace gives up: a connection killed
within that second fails the one request that uses it next (a 500, which Meta
redelivers and the connection is then replaced), where the check would have
replaced it first.
"""
import time

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    clock = staticmethod(time.monotonic)  # tests move their own

    def __init__(self, settings_dict, alias="default"):
        super().__init__(settings_dict, alias)
        self.health_check_grace = float(settings_dict.get("HEALTH_CHECK_GRACE_SECONDS", 0))
        self._answered_at: float | None = None

    def close_if_unusable_or_obsolete(self) -> None:
        # At the end of a request or task: a connection that was used (its check
        # done) and saw no error has just answered every statement.
        if self.connection is not None and self.health_check_done and not self.errors_occurred:
            self._answered_at = self.clock()
        super().close_if_unusable_or_obsolete()

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self._answered_at is not None
            and self.clock() - self._answered_at < self.health_check_grace
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def connect(self) -> None:
        self._answered_at = None
        super().connect()
