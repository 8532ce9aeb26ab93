"""Which hotel a message belongs to.

Order: the channel account that received it; else a GuestIdentifier registered
for the sender; else the `default` tenant. Answers are cached; any change to a
channel account or guest identifier bumps a generation number that is part of
every cache key, so stale answers are never read (no key enumeration needed).
With the cache down the database answers: a signed delivery still gets its 200.

Nearly every delivery arrives on a known number, and the number alone decides
then: that answer is kept in the process, keyed by the number only (a new guest
does not miss it), and the shared generation is read at most every
LOCAL_CHECK_SECONDS. A change made in this process clears it at once; one made
in another process reaches it within those seconds. Only messages to unknown
numbers go on to the per-sender lookup and its shared cache.
"""
import logging
import threading
import time
from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_scopes import scopes_disabled

from tenants.models import ChannelAccount, GuestIdentifier, Tenant

GENERATION_KEY = "tenant-resolution:generation"
CACHE_SECONDS = 300
DEFAULT_TENANT_SLUG = "default"
LOCAL_CHECK_SECONDS = 5.0
LOCAL_MAX_NUMBERS = 10_000  # a flood of made-up numbers cannot grow a worker without bound

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


class _ByNumber:
    """This process's answers for known numbers, valid for one generation."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.answers: dict[tuple[str, str], ResolvedTenant] = {}
        self.generation: object = None
        self.checked_at = float("-inf")

    def get(self, channel: str, account_external_id: str) -> ResolvedTenant | None:
        now = time.monotonic()
        if now - self.checked_at >= LOCAL_CHECK_SECONDS:
            generation = _generation()  # may raise: the caller falls back to the database
            with self.lock:
                if generation != self.generation:
                    self.answers.clear()
                    self.generation = generation
                self.checked_at = now
        return self.answers.get((channel, account_external_id))

    def put(self, channel: str, account_external_id: str, resolved: ResolvedTenant) -> None:
        with self.lock:
            if len(self.answers) >= LOCAL_MAX_NUMBERS:
                self.answers.clear()
            self.answers[(channel, account_external_id)] = resolved

    def forget(self) -> None:
        with self.lock:
            self.answers.clear()
            self.generation, self.checked_at = None, float("-inf")


_by_number = _ByNumber()


def forget_local_answers() -> None:
    """Drop this process's answers (a routing change here; tests between databases)."""
    _by_number.forget()


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
        known = _by_number.get(channel, account_external_id)
    except Exception:  # Redis down or restarting
        logger.warning("tenant resolution without its cache", exc_info=True)
        return _lookup(channel, account_external_id, sender_phone)
    if known is not None:
        return known
    try:
        key = f"tenant-resolution:{_by_number.generation}:{channel}:{account_external_id}:{sender_phone}"
        cached = cache.get(key)
    except Exception:
        logger.warning("tenant resolution without its cache", exc_info=True)
        return _lookup(channel, account_external_id, sender_phone)
    resolved = ResolvedTenant(**cached) if cached is not None else _lookup(
        channel, account_external_id, sender_phone)
    if resolved.channel_account_id is not None:  # the number decided: any sender gets this answer
        _by_number.put(channel, account_external_id, resolved)
    if cached is None:
        try:
            cache.set(key, asdict(resolved), CACHE_SECONDS)
        except Exception:
            logger.warning("tenant resolution not cached", exc_info=True)
    return resolved


def invalidate_resolution_cache() -> None:
    forget_local_answers()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


@receiver([post_save, post_delete], sender=ChannelAccount)
@receiver([post_save, post_delete], sender=GuestIdentifier)
def _routing_changed(sender, **kwargs) -> None:
    # Now, and again once the change is visible: a lookup between the two read
    # the old row and may have kept it under the new generation.
    invalidate_resolution_cache()
    transaction.on_commit(invalidate_resolution_cache)
