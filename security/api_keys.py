"""Issuing and checking API keys.

A key looks like `ha_<prefix>_<secret>`; we keep the prefix readable and a
SHA-256 digest of the whole key. The secret part has 256 bits of entropy, so a
fast hash is enough (a slow password hash protects low-entropy secrets only).
"""
import datetime
import hashlib
import hmac
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import audit
from .models import ApiKey

LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def _digest(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def api_key_create(*, tenant, name: str, actor: str = "") -> tuple[ApiKey, str]:
    """Create a key and return it with its plaintext, which is never stored (nor
    audited: the trail names the prefix)."""
    prefix = secrets.token_hex(4)
    raw_key = f"ha_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        api_key = ApiKey.objects.create(
            tenant=tenant, name=name, prefix=prefix, hashed_key=_digest(raw_key)
        )
        audit.record(
            audit.Type.CONFIGURATION, tenant=tenant, action="api_key_created", actor=actor,
            resource=f"api_key:{prefix}", details={"name": name},
        )
    return api_key, raw_key


def api_key_revoke(*, api_key: ApiKey, actor: str = "") -> None:
    if api_key.revoked_at is not None:
        return
    with transaction.atomic():
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        audit.record(
            audit.Type.CONFIGURATION, tenant=api_key.tenant, action="api_key_revoked", actor=actor,
            resource=f"api_key:{api_key.prefix}", details={"name": api_key.name},
        )


def prefix_of(raw_key: str) -> str:
    parts = raw_key.split("_")
    return parts[1] if len(parts) >= 3 and parts[0] == "ha" and parts[1].isalnum() else ""


def api_key_check(raw_key: str, *, now=None) -> ApiKey | None:
    """The active key matching `raw_key`, or None. Unscoped on purpose: the key
    is what tells us the tenant. A key a rotation replaced works until its expires_at."""
    prefix = prefix_of(raw_key)
    if not prefix:
        return None
    api_key = (
        ApiKey.objects.with_scopes_disabled()
        .select_related("tenant")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now or timezone.now()))
        .first()
    )
    if api_key is None or not hmac.compare_digest(api_key.hashed_key, _digest(raw_key)):
        return None
    return api_key


def api_key_mark_used(api_key: ApiKey, *, now=None) -> None:
    """Record that `api_key` authenticated, to the minute. The row api_key_check read
    says whether a write is due, so a key in steady use costs one UPDATE a minute and
    no query on the other requests; the UPDATE's own condition lets one of several
    concurrent requests write."""
    now = now or timezone.now()
    stale_before = now - LAST_USED_PRECISION
    if api_key.last_used_at is not None and api_key.last_used_at > stale_before:
        return
    (
        ApiKey.objects.with_scopes_disabled()
        .filter(pk=api_key.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale_before))
        .update(last_used_at=now)
    )
    api_key.last_used_at = now
