"""Named secrets, versioned and encrypted at rest.

A secret (`webhook_secret`, `jwt_secret`, ...) belongs to a hotel or, with no
tenant, to every hotel. Each rotation adds a version: the newest is current and
signs, older ones keep verifying until their `expires_at` (the policy's overlap),
so nothing signed just before a rotation breaks. Values are encrypted with
MultiFernet under SECRETS_ENCRYPTION_KEYS and are only ever plaintext in memory.

Reads are cached per process for CACHE_SECONDS and dropped on `secret_rotated`.
A process that did not rotate sees a new version when its entry ages out, or at
once when a verifier asks again with `refresh=True` after nothing matched.
Reads inside a transaction are not cached: they may see a version this very
transaction created, which a rollback would turn into a value nobody else has.
"""
import base64
import datetime
import logging
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.dispatch import Signal, receiver
from django.utils import timezone

from . import audit, locking
from .models import ApiKey, ManagedSecret

logger = logging.getLogger(__name__)

API_KEY = "api_key"
WEBHOOK_SECRET = "webhook_secret"  # noqa: S105 - a name, not a secret
JWT_SECRET = "jwt_secret"  # noqa: S105 - a name, not a secret

CACHE_SECONDS = 60


@dataclass(frozen=True)
class Policy:
    period: datetime.timedelta  # a version this old is due for rotation
    overlap: datetime.timedelta  # how long the version it replaces keeps verifying


DAY = datetime.timedelta(days=1)

# Secrets we issue and rotate, with the seed guide's periods. The store keeps other
# names too (a key a PMS issued, say): never due, and replaced without overlap.
# A guest link expires at the end of its stay's check-out
# day, which is at most 365 days ahead plus 90 nights (reservations.rules), so the
# jwt_secret that signed it keeps verifying that long after it is replaced.
POLICIES: dict[str, Policy] = {
    API_KEY: Policy(period=30 * DAY, overlap=7 * DAY),
    WEBHOOK_SECRET: Policy(period=60 * DAY, overlap=DAY),
    JWT_SECRET: Policy(period=90 * DAY, overlap=(365 + 90 + 1) * DAY),
}

# Sent after a secret gets a new version (the first one included), with the
# keyword arguments name, tenant (None for a global secret) and version.
secret_rotated = Signal()


@dataclass(frozen=True)
class SecretVersion:
    version: int
    value: str = ""
    expires_at: datetime.datetime | None = None

    def __repr__(self) -> str:  # never the value, not even in a traceback
        return f"SecretVersion(version={self.version}, expires_at={self.expires_at})"

    def valid_at(self, now: datetime.datetime) -> bool:
        return self.expires_at is None or self.expires_at > now


# --- Encryption -------------------------------------------------------------

def development_key(secret_key: str) -> bytes:
    """A Fernet key derived from Django's SECRET_KEY (HKDF-SHA256), used when
    SECRETS_ENCRYPTION_KEYS is unset."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"hotelagent secret store")
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = list(settings.SECRETS_ENCRYPTION_KEYS)
    if not keys:
        if not settings.DEBUG:
            logger.warning(
                "SECRETS_ENCRYPTION_KEYS is not set: secrets are encrypted under a key derived from "
                "SECRET_KEY. Set SECRETS_ENCRYPTION_KEYS in production."
            )
        # Fallbacks keep values readable while SECRET_KEY itself is being rotated.
        keys = [development_key(key) for key in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (TypeError, ValueError) as error:
        raise ImproperlyConfigured(
            "SECRETS_ENCRYPTION_KEYS must be comma-separated Fernet keys (Fernet.generate_key())."
        ) from error


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def reencrypt_values() -> int:
    """Re-encrypt every stored value under the first of SECRETS_ENCRYPTION_KEYS
    (run after putting a new key first); returns how many versions."""
    fernet = _fernet()
    count = 0
    with transaction.atomic():
        rows = ManagedSecret.objects.with_scopes_disabled().select_for_update().only("encrypted_value")
        for row in rows.order_by("pk"):
            row.encrypted_value = fernet.rotate(row.encrypted_value.encode()).decode()
            row.save(update_fields=["encrypted_value"])
            count += 1
    return count


# --- Reading ----------------------------------------------------------------

_cache: dict[tuple[str, int | None], tuple[float, tuple[SecretVersion, ...]]] = {}


def _key(name: str, tenant) -> tuple[str, int | None]:
    return name, tenant.pk if tenant is not None else None


def _rows(name: str, tenant):
    return ManagedSecret.objects.with_scopes_disabled().filter(name=name, tenant=tenant)


def _versions(name: str, tenant, *, refresh: bool = False) -> tuple[SecretVersion, ...]:
    """Versions not yet expired, newest first."""
    key = _key(name, tenant)
    cached = _cache.get(key)
    if cached and not refresh and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    rows = _rows(name, tenant).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
    versions = tuple(
        SecretVersion(row.version, decrypt(row.encrypted_value), row.expires_at)
        for row in rows.order_by("-version")
    )
    if connection.in_atomic_block:
        _cache.pop(key, None)
    else:
        _cache[key] = (time.monotonic(), versions)
    return versions


@receiver(secret_rotated)
def _drop_cached(sender, name, tenant, **kwargs) -> None:
    _cache.pop(_key(name, tenant), None)


@receiver(setting_changed)
def _keys_changed(setting, **kwargs) -> None:
    if setting in ("SECRETS_ENCRYPTION_KEYS", "SECRET_KEY", "SECRET_KEY_FALLBACKS"):
        _fernet.cache_clear()
        _cache.clear()


def current_secret(name: str, tenant=None) -> SecretVersion:
    """The version that signs now; the first version is made on first use."""
    versions = _versions(name, tenant)
    if not versions:
        secret_create(name, tenant)
        versions = _versions(name, tenant, refresh=True)
    return versions[0]


def valid_secrets(
    name: str, tenant=None, *, now: datetime.datetime | None = None, refresh: bool = False
) -> list[SecretVersion]:
    """Every version that still verifies at `now`, newest (current) first."""
    now = now or timezone.now()
    return [version for version in _versions(name, tenant, refresh=refresh) if version.valid_at(now)]


def secret_version(
    name: str, tenant, version: int, *, now: datetime.datetime | None = None
) -> SecretVersion | None:
    """Version number `version` if it still verifies (a token's `kid`), else None."""
    for refresh in (False, True):
        for candidate in valid_secrets(name, tenant, now=now, refresh=refresh):
            if candidate.version == version:
                return candidate
    return None


def latest_version(name: str, tenant=None) -> ManagedSecret | None:
    return _rows(name, tenant).order_by("-version").first()


def api_keys_in_service(tenant):
    """The hotel's keys a rotation replaces: neither revoked nor already being phased out."""
    return ApiKey.objects.with_scopes_disabled().filter(
        tenant=tenant, revoked_at__isnull=True, expires_at__isnull=True
    )


def is_due(name: str, tenant=None, *, now: datetime.datetime | None = None) -> bool:
    """Whether `name` needs a new version at `now`: its newest one is a period old,
    or there is none yet (API keys: a key in service is a period old)."""
    if name not in POLICIES:
        return False
    now = now or timezone.now()
    period = POLICIES[name].period
    latest = latest_version(name, tenant)
    if latest is not None:
        return latest.activated_at + period <= now
    if name == API_KEY:
        return api_keys_in_service(tenant).filter(created_at__lte=now - period).exists()
    return True


# --- Writing ----------------------------------------------------------------

def _lock_name(name: str, tenant) -> str:
    """Writers of one secret are serialized by an advisory lock on this name: it
    works before the first version exists, when there is no row to lock."""
    return f"secret:{name}:{tenant.pk if tenant is not None else 'global'}"


def new_value() -> str:
    return secrets.token_urlsafe(48)


def secret_rotate(
    name: str,
    tenant=None,
    *,
    now: datetime.datetime | None = None,
    force: bool = True,
    seen_version: int | None = None,
    value=None,
    actor: str = "system:rotation",
    request=None,
) -> ManagedSecret | None:
    """Add the next version of a secret and start the overlap of the one it replaces.

    One transaction, under a lock on (name, tenant), decides whether to go ahead,
    so two workers rotating at once add exactly one version: unless `force`, only
    while the secret is still due; with `seen_version`, only if nobody rotated
    since the caller looked (0: no version yet). `value` is the new value, or a
    callable given `now` under the lock that returns it, or None when there is
    nothing to rotate; by default a random token. Audited as SECRET_ROTATED (name
    and version, never the value); `secret_rotated` is sent afterwards. Returns
    the new version, or None when skipped. Raises Busy when another writer of the
    secret holds its lock longer than LOCK_TIMEOUT_SECONDS.
    """
    policy = POLICIES.get(name)
    if policy is None and value is None:
        raise ValueError(f"{name!r} is not a secret we issue ({', '.join(POLICIES)}): give its value.")
    now = now or timezone.now()
    try:
        with locking.locked(_lock_name(name, tenant)):
            latest = latest_version(name, tenant)
            if seen_version is not None and (latest.version if latest else 0) != seen_version:
                return None
            if not force and not is_due(name, tenant, now=now):
                return None
            plaintext = value(now) if callable(value) else (value or new_value())
            if plaintext is None:
                return None
            created = ManagedSecret.objects.create(
                name=name, tenant=tenant, version=(latest.version if latest else 0) + 1,
                encrypted_value=encrypt(plaintext), activated_at=now,
            )
            replaced_until = now + (policy.overlap if policy else datetime.timedelta(0))
            _rows(name, tenant).filter(expires_at__isnull=True, version__lt=created.version).update(
                expires_at=replaced_until
            )
            audit.record(
                audit.Type.SECRET_ROTATED, tenant=tenant,
                action="secret_rotated" if latest else "secret_created", actor=actor, request=request,
                resource=f"secret:{name}",
                details={"name": name, "version": created.version,
                         "previous_version": latest.version if latest else None,
                         "previous_valid_until": replaced_until.isoformat() if latest else None},
            )
    except IntegrityError:
        # The unique (name, tenant, version) constraints back the lock up.
        logger.info("%s of %s was rotated concurrently", name, tenant or "every hotel")
        return None
    logger.info("rotated %s of %s to version %d", name, tenant or "every hotel", created.version)
    secret_rotated.send(sender=ManagedSecret, name=name, tenant=tenant, version=created.version)
    return created


def secret_create(
    name: str, tenant=None, *, value: str | None = None, now=None, actor: str = "system"
) -> ManagedSecret:
    """The first version of a secret; when it already has one, the newest."""
    created = secret_rotate(name, tenant, now=now, seen_version=0, value=value, actor=actor)
    return created or latest_version(name, tenant)
