"""Sign-in throttling: ADMIN_LOGIN_MAX_FAILURES failed attempts for one username
from one address lock that pair out for ADMIN_LOGIN_LOCKOUT_SECONDS.

The counters live in the Django cache (Redis in production, so every process
shares them) and change only through the atomic `add` and `incr`; `add` also
decides which process audits a lockout, so each lockout is audited once. Keys
hold a digest, never the username itself.
"""
import hashlib

from django.conf import settings
from django.core.cache import cache

from . import audit


def _key(kind: str, username: str, ip: str | None) -> str:
    digest = hashlib.sha256(f"{username.casefold()}\n{ip or '-'}".encode()).hexdigest()
    return f"admin-login:{kind}:{digest}"


def is_locked_out(*, username: str, ip: str | None) -> bool:
    return cache.get(_key("lockout", username, ip)) is not None


def note_failure(*, username: str, ip: str | None) -> bool:
    """Count a failed attempt; True when it locks the pair out."""
    window = settings.ADMIN_LOGIN_LOCKOUT_SECONDS
    failures_key = _key("failures", username, ip)
    cache.add(failures_key, 0, timeout=window)
    try:
        failures = cache.incr(failures_key)
    except ValueError:  # expired between add and incr
        cache.add(failures_key, 1, timeout=window)
        failures = 1
    if failures < settings.ADMIN_LOGIN_MAX_FAILURES:
        return False
    if cache.add(_key("lockout", username, ip), failures, timeout=window):
        cache.delete(failures_key)
        audit.record(
            audit.Type.SUSPICIOUS_ACTIVITY, action="admin_login_locked_out",
            actor=f"username:{username}", ip_address=ip, resource="admin:login",
            details={"username": username, "failures": failures, "lockout_seconds": window},
        )
    return True


def note_success(*, username: str, ip: str | None) -> None:
    cache.delete(_key("failures", username, ip))
