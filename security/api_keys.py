"""Issuing and checking API keys.

A key looks like `ha_<prefix>_<secret>`; we keep the prefix readable and a
SHA-256 digest of the whole key. The secret part has 256 bits of entropy, so a
fast hash is enough (a slow password hash protects low-entropy secrets only).

Every API request checks its key, so a key that worked is kept in the cache,
under its digest (never the key itself), with its hotel's row: a key in steady
use is one cache read (one round trip) and no query. The whole hotel row, not
just is_active, because the API goes on to read its language, time zone and
currency from request.auth.tenant; both rows come back as unsaved-looking model
instances (Model.from_db), so nothing downstream queries them again. Whether
the key still works is judged on every request from the cached row — revoked_at,
expires_at against now, the digest compared in constant time — so a rotated key
stops at its expires_at without anyone touching the cache. A row read inside a
transaction is never cached: it may be one the transaction wrote and will roll
back.

What must stop a key at once (revoking, a rotation shortening its life,
deleting it, any change to its hotel, which is where is_active lives) goes
through save() or delete(), and the receivers at the end of this module start a
new *generation* of the key's entry now and again at commit. An entry is
believed only under the generation it was read under, and a request that missed
reads the generation before the database; so a request that read the old row
just before a revocation committed cannot store it after for anyone to believe
(deleting the entry instead would leave that window open). A generation only
comes into being for a key the database has just confirmed, so wrong keys write
nothing to the cache. QuerySet.update() sends no signal: call api_key_forget
after one that should stop a key (api_key_mark_used's own UPDATE need not).

A cache that cannot be read is a miss: the database answers. One that cannot be
written when a key is revoked is logged; the entry then lives at most
CACHE_SECONDS.
"""
import datetime
import hashlib
import hmac
import logging
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db import models, router, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from tenants.models import Tenant

from . import audit
from .models import ApiKey

LAST_USED_PRECISION = datetime.timedelta(minutes=1)
CACHE_SECONDS = 300
GENERATION_SECONDS = 3600  # outlives the entries it vouches for; expired, they are only misses

logger = logging.getLogger(__name__)


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


def api_key_check(raw_key: str, *, now: datetime.datetime | None = None) -> ApiKey | None:
    """The active key matching `raw_key`, or None. Unscoped on purpose: the key
    is what tells us the tenant. A key a rotation replaced works until its expires_at.
    The key comes with its tenant, from the cache when it is there (module docstring)."""
    lookup = api_key_lookup(raw_key)
    return api_key_resolve(lookup, now=now) if lookup else None


@dataclass(frozen=True)
class KeyLookup:
    """What one cache round trip said about a key: authentication reads the
    address's failure count along with it (`values`, None when the cache did not
    answer) and refuses a guesser before api_key_resolve may ask the database."""

    prefix: str
    digest: str
    cached: ApiKey | None
    generation: str | None
    values: dict | None


def api_key_lookup(raw_key: str, *, read_along: Sequence[str] = ()) -> KeyLookup | None:
    """The cache's answer for `raw_key`, with the values of `read_along`; None when
    `raw_key` is not shaped like a key (nothing is read then)."""
    prefix = prefix_of(raw_key)
    if not prefix:
        return None
    digest = _digest(raw_key)
    return KeyLookup(prefix, digest, *_cached(digest, read_along))


def api_key_resolve(lookup: KeyLookup, *, now: datetime.datetime | None = None) -> ApiKey | None:
    """api_key_check's answer, from the cache's answer or else the database."""
    now = now or timezone.now()
    api_key = lookup.cached or _in_database(lookup.prefix, now)
    if not _works(api_key, lookup.prefix, lookup.digest, now):
        return None
    generation = lookup.generation
    if lookup.cached is None:
        # A row read inside a transaction may be one it wrote and will roll back.
        cacheable = lookup.values is not None and not transaction.get_connection().in_atomic_block
        generation = _remember(api_key, generation) if cacheable else None
    api_key._cache_generation = generation  # what api_key_mark_used stores the row under
    return api_key


def _in_database(prefix: str, now: datetime.datetime) -> ApiKey | None:
    return (
        ApiKey.objects.with_scopes_disabled()
        .select_related("tenant")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )


def _works(api_key: ApiKey | None, prefix: str, digest: str, now: datetime.datetime) -> bool:
    """Judged again on a cached row: the cache only saves the query, never the checks."""
    return (
        api_key is not None and api_key.prefix == prefix and hmac.compare_digest(api_key.hashed_key, digest)
        and api_key.revoked_at is None and (api_key.expires_at is None or api_key.expires_at > now)
    )


def api_key_mark_used(api_key: ApiKey, *, now: datetime.datetime | None = None) -> None:
    """Record that `api_key` authenticated, to the minute. The row api_key_check read
    says whether a write is due, so a key in steady use costs one UPDATE a minute and
    no query on the other requests; the UPDATE's own condition lets one of several
    concurrent requests write. The cached row gets the new time too, or every request
    after the first minute would try the UPDATE; it is stored under the generation the
    key was checked under, so a revocation since then still wins."""
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
    generation = getattr(api_key, "_cache_generation", None)
    if generation is not None:
        _store(api_key, generation)


def api_key_forget(digests: Iterable[str]) -> None:
    """Stop believing the cached rows of the keys with these digests (ApiKey.hashed_key):
    a new generation now, for requests inside this transaction's lifetime, and again
    at commit, for those that read the row as it was before it."""
    keys = [_generation_key(digest) for digest in digests]
    if not keys:
        return

    def bump() -> None:
        try:
            cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=GENERATION_SECONDS)
        except Exception:
            logger.error("API keys not invalidated in the cache: cached rows live up to %d s more",
                         CACHE_SECONDS, exc_info=True)

    bump()
    transaction.on_commit(bump)


def _entry_key(digest: str) -> str:
    return f"api-key:{digest}"


def _generation_key(digest: str) -> str:
    return f"api-key:{digest}:generation"


def _row(instance: models.Model) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def _from_row(model: type[models.Model], row: dict) -> models.Model | None:
    """`model` as if read from the database, or None if `row` was cached by a version
    of the code whose model had other columns (mid-deploy): a missing column would
    otherwise be a query on first access."""
    names = [field.attname for field in model._meta.concrete_fields]
    if row.keys() != set(names):
        return None
    return model.from_db(router.db_for_read(model), names, [row[name] for name in names])


def _cached(digest: str, read_along: Sequence[str] = ()) -> tuple[ApiKey | None, str | None, dict | None]:
    """(the key from the cache or None, the current generation or None, the values
    of `read_along` found, or None when the cache did not answer)."""
    entry_key, generation_key = _entry_key(digest), _generation_key(digest)
    try:
        found = cache.get_many([entry_key, generation_key, *read_along])
    except Exception:
        logger.warning("API key checked without the cache", exc_info=True)
        return None, None, None
    along = {key: found[key] for key in read_along if key in found}
    entry, generation = found.get(entry_key), found.get(generation_key)
    if entry is None or generation is None or entry.get("generation") != generation:
        return None, generation, along
    api_key, tenant = _from_row(ApiKey, entry["api_key"]), _from_row(Tenant, entry["tenant"])
    if api_key is None or tenant is None or api_key.tenant_id != tenant.pk:
        return None, generation, along
    api_key.tenant = tenant
    return api_key, generation, along


def _remember(api_key: ApiKey, generation: str | None) -> str | None:
    """Cache the row just read under `generation`, the one seen before reading it. With
    none yet, one is made now only if nobody made one meanwhile: a revocation since
    the cache was read leaves one behind, and then this row is not cached."""
    try:
        if generation is None:
            generation = uuid.uuid4().hex
            if not cache.add(_generation_key(api_key.hashed_key), generation, timeout=GENERATION_SECONDS):
                return None
    except Exception:
        logger.warning("API key not cached", exc_info=True)
        return None
    _store(api_key, generation)
    return generation


def _store(api_key: ApiKey, generation: str) -> None:
    entry = {"generation": generation, "api_key": _row(api_key), "tenant": _row(api_key.tenant)}
    try:
        cache.set(_entry_key(api_key.hashed_key), entry, timeout=CACHE_SECONDS)
    except Exception:
        logger.warning("API key not cached", exc_info=True)


@receiver(post_save, sender=ApiKey, dispatch_uid="security.api_keys.key_saved")
@receiver(post_delete, sender=ApiKey, dispatch_uid="security.api_keys.key_deleted")
def _key_changed(sender, instance: ApiKey, **kwargs) -> None:
    api_key_forget([instance.hashed_key])


@receiver(post_save, sender=Tenant, dispatch_uid="security.api_keys.tenant_saved")
def _tenant_saved(sender, instance: Tenant, created: bool, **kwargs) -> None:
    """Any field may matter: authentication reads is_active, the API the rest. A hotel
    just created has no keys yet."""
    if created:
        return
    api_key_forget(
        ApiKey.objects.with_scopes_disabled()
        .filter(tenant_id=instance.pk, revoked_at__isnull=True)
        .values_list("hashed_key", flat=True)
    )
