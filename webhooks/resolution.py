"""Which hotel a message belongs to.

Order: the channel account that received it; else a GuestIdentifier registered
for the sender; else the `default` tenant. Answers are cached; any change to a
channel account or guest identifier bumps a generation number that is part of
every cache key, so stale answers are never read (no key enumeration needed).
With the cache down the database answers: a signed delivery still gets its 200.
"""
import logging
from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_scopes import scopes_disabled

from tenants.models import ChannelAccount, GuestIdentifier, Tenant

GENERATION_KEY = "tenant-resolution:generation"
CACHE_SECONDS = 300
DEFAULT_TENANT_SLUG = "default"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ResolvedTenant:
    tenant_id: int
    tenant_slug: str
    channel_account_id: int | None


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def _lookup(channel: str, account_external_id: str, sender_phone: str) -> ResolvedTenant:
    with scopes_disabled():
        account = (
            ChannelAccount.objects.select_related("tenant")
            .filter(channel=channel, external_id=account_external_id)
            .first()
        )
        if account is not None:
            return ResolvedTenant(account.tenant_id, account.tenant.slug, account.pk)
        if sender_phone:
            identifier = (
                GuestIdentifier.objects.select_related("tenant")
                .filter(kind=GuestIdentifier.Kind.PHONE, value=sender_phone)
                .first()
            )
            if identifier is not None:
                return ResolvedTenant(identifier.tenant_id, identifier.tenant.slug, None)
    default = Tenant.objects.get(slug=DEFAULT_TENANT_SLUG)
    return ResolvedTenant(default.pk, default.slug, None)


def resolve_tenant(channel: str, account_external_id: str, *, sender_phone: str = "") -> ResolvedTenant:
    try:
        key = f"tenant-resolution:{_generation()}:{channel}:{account_external_id}:{sender_phone}"
        cached = cache.get(key)
    except Exception:  # Redis down or restarting
        logger.warning("tenant resolution without its cache", exc_info=True)
        return _lookup(channel, account_external_id, sender_phone)
    if cached is not None:
        return ResolvedTenant(**cached)
    resolved = _lookup(channel, account_external_id, sender_phone)
    try:
        cache.set(key, asdict(resolved), CACHE_SECONDS)
    except Exception:
        logger.warning("tenant resolution not cached", exc_info=True)
    return resolved


def invalidate_resolution_cache() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


@receiver([post_save, post_delete], sender=ChannelAccount)
@receiver([post_save, post_delete], sender=GuestIdentifier)
def _routing_changed(sender, **kwargs) -> None:
    invalidate_resolution_cache()
