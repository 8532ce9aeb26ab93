"""Rotating secrets: hourly from beat, or on demand (`manage.py rotate_secrets`, the
admin's "Rotate now"). The periods and overlaps are secret_store.POLICIES.

`webhook_secret` and `jwt_secret` are values in the secret store. `api_key` is the
hotel's API keys themselves: a rotation issues a successor for every key in
service, lets the old ones work for the overlap (ApiKey.expires_at) and emails
the new keys to the hotel's managers; its store version records only the new
keys' prefixes, since a key's plaintext is never stored. The hotel's website
signs web-chat messages with the webhook secret, so each new one is emailed to
the managers too. jwt_secret never leaves the product.
"""
import logging
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tenants.models import Tenant, TenantMembership

from .api_keys import api_key_create
from .locking import Busy, retry_after_seconds
from .models import ManagedSecret
from .secret_store import (
    API_KEY,
    POLICIES,
    WEBHOOK_SECRET,
    api_keys_in_service,
    is_due,
    latest_version,
    secret_rotate,
    secret_rotated,
    secret_version,
)

logger = logging.getLogger(__name__)


def rotate(
    name: str, tenant=None, *, now=None, force: bool = False, actor: str = "system:rotation", request=None
) -> ManagedSecret | None:
    """Rotate one secret of one hotel (None: a global secret) if it is due, or now
    with `force`. Two callers at once still add one version: a forced rotation
    only goes ahead if nobody rotated since it looked. Returns the new version,
    or None when there was nothing to do."""
    if name not in POLICIES:
        return None  # issued elsewhere (a PMS key, say): replaced with its new value, not rotated
    seen = None
    if force:
        latest = latest_version(name, tenant)
        seen = latest.version if latest else 0
    if name != API_KEY:
        return secret_rotate(name, tenant, now=now, force=force, seen_version=seen, actor=actor,
                             request=request)
    if tenant is None:
        raise ValueError("API keys belong to a hotel.")
    issued: list[tuple] = []

    def replace_keys(now):
        old_keys = list(api_keys_in_service(tenant).select_for_update().order_by("pk"))
        overlap_ends = now + POLICIES[API_KEY].overlap
        for old in old_keys:
            new, raw_key = api_key_create(tenant=tenant, name=old.name, actor=actor)
            old.expires_at = overlap_ends
            old.save(update_fields=["expires_at"])
            issued.append((old, new, raw_key))
        return ",".join(new.prefix for _, new, _ in issued) or None

    version = secret_rotate(API_KEY, tenant, now=now, force=force, seen_version=seen, value=replace_keys,
                            actor=actor, request=request)
    if version is not None:
        keys = [{"name": new.name, "key": raw_key, "replaces": old.prefix, "old_key_until": old.expires_at}
                for old, new, raw_key in issued]
        transaction.on_commit(lambda: email_managers(
            tenant, "emails/api_keys_rotated.txt", keys=keys, period_days=POLICIES[API_KEY].period.days
        ))
    return version


def rotate_due(*, now=None, tenants=None, actor: str = "system:rotation") -> list[ManagedSecret]:
    """Every active hotel's secrets that are due; one failing hotel does not stop the others.
    A secret whose lock another writer holds (Busy) is logged and skipped."""
    rotated, _ = _rotate_due(now=now, tenants=tenants, actor=actor)
    return rotated


def _rotate_due(*, now, tenants, actor) -> tuple[list[ManagedSecret], list[str]]:
    """The versions added, and the secrets left because they were busy."""
    now = now or timezone.now()
    if tenants is None:
        tenants = Tenant.objects.filter(is_active=True).order_by("pk")
    rotated, busy = [], []
    for tenant in tenants:
        for name in POLICIES:
            if not is_due(name, tenant, now=now):
                continue
            try:
                version = rotate(name, tenant, now=now, actor=actor)
            except Busy:
                logger.warning("%s of %s is locked by another writer; not rotated now", name, tenant.slug)
                busy.append(f"{name} {tenant.slug}")
                continue
            except Exception:
                logger.exception("rotating %s of %s failed", name, tenant.slug)
                continue
            if version is not None:
                rotated.append(version)
    return rotated, busy


@shared_task(bind=True, max_retries=3)
def rotate_due_secrets(self) -> list[str]:
    """Hourly from beat (CELERY_BEAT_SCHEDULE). When a secret was busy the task is
    retried a few seconds later; the retry rotates only what is still due."""
    rotated, busy = _rotate_due(now=None, tenants=None, actor="system:rotation")
    if busy:
        raise self.retry(exc=Busy(f"busy: {', '.join(busy)}"), countdown=retry_after_seconds())
    return [f"{version.name} {version.tenant.slug} v{version.version}" for version in rotated]


@receiver(secret_rotated)
def _deliver_webhook_secret(sender, name, tenant, version, **kwargs) -> None:
    if name != WEBHOOK_SECRET or tenant is None:
        return

    def send():
        secret = secret_version(WEBHOOK_SECRET, tenant, version)
        if secret is not None:  # gone only if rotated twice before this commit
            email_managers(tenant, "emails/webhook_secret_rotated.txt", secret=secret.value, version=version,
                           overlap_hours=int(POLICIES[WEBHOOK_SECRET].overlap.total_seconds() // 3600))

    transaction.on_commit(send)


def manager_emails(tenant) -> list[str]:
    return sorted(set(
        TenantMembership.objects.with_scopes_disabled()
        .filter(tenant=tenant, role=TenantMembership.Role.MANAGER, user__is_active=True)
        .exclude(user__email="").values_list("user__email", flat=True)
    ))


def email_managers(tenant, template: str, **context) -> int:
    """One message to each manager of the hotel, in its language. The template's
    first line is the subject. A failure is logged, not raised: the rotation has
    happened and the old credential still works for the overlap."""
    recipients = manager_emails(tenant)
    if not recipients:
        logger.warning("%s: no manager with an email address to send %s to", tenant.slug, template)
        return 0
    with translation.override(tenant.language):
        subject, _, body = render_to_string(template, {"hotel": tenant, **context}).partition("\n")
    messages = [EmailMessage(subject.strip(), body.strip() + "\n", to=[address]) for address in recipients]
    try:
        return _private_connection().send_messages(messages)
    except Exception:
        logger.exception("%s: could not email %s to the managers", tenant.slug, template)
        return 0


def _private_connection():
    """The configured email connection, unless it prints: these messages carry new
    credentials and a console (Django's console backend, the development default) is
    no place for them, so they go to files in a directory only this user can read."""
    connection = get_connection()
    if type(connection) is not ConsoleEmailBackend:
        return connection
    directory = Path(getattr(settings, "EMAIL_FILE_PATH", None) or settings.BASE_DIR / "var" / "emails")
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    logger.warning("EMAIL_BACKEND prints to the console: the new credentials are emailed into %s instead",
                   directory)
    return get_connection("django.core.mail.backends.filebased.EmailBackend", file_path=str(directory))
