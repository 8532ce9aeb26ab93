"""Each WhatsApp number's access token, and what happens when Meta will not take it.

A number's token lives encrypted in the secret store (`security.secret_store`) as
`whatsapp_access_token:<phone_number_id>`, owned by the number's hotel, one
version per token saved in the admin (the store audits each as SECRET_ROTATED,
never the value). It is read with `valid_secrets`, not `current_secret`, which
would make up a random first version: Meta issues this one.
`WHATSAPP_ACCESS_TOKEN` is the fallback for a deployment with one hotel.

A missing or rejected token is no reason to retry: the reply fails at once, the
channel is flagged (ChannelAccount.credentials_problem: the admin's red banners
and /health/ready read it) and ERROR is logged once per channel per
LOG_AGAIN_AFTER_SECONDS, not once per reply.

tenants/admin.py cannot import the store, so it asks through the signals in
tenants.models; this module answers them. It is imported at start-up through
webhooks.apps → booking_outcomes → tasks → sending.
"""
import logging

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import DatabaseError
from django.dispatch import receiver
from django.utils import formats
from django.utils.translation import gettext as _

from security.secret_store import latest_version, secret_rotate, valid_secrets
from tenants.models import ChannelAccount
from tenants.signals import access_token_saved, access_token_status_requested

logger = logging.getLogger(__name__)

LOG_AGAIN_AFTER_SECONDS = 60 * 60

MISSING, REJECTED = ChannelAccount.CREDENTIALS_MISSING, ChannelAccount.CREDENTIALS_REJECTED


def whatsapp_account(phone_number_id: str) -> ChannelAccount | None:
    return (ChannelAccount.objects.with_scopes_disabled().select_related("tenant")
            .filter(channel=ChannelAccount.Channel.WHATSAPP, external_id=phone_number_id).first())


def stored_token(account: ChannelAccount) -> str:
    versions = valid_secrets(account.access_token_secret_name, account.tenant)
    return versions[0].value.strip() if versions else ""


def access_token(account: ChannelAccount | None) -> str:
    """The number's own token, else the deployment's fallback; "" when neither is set."""
    return (stored_token(account) if account is not None else "") or settings.WHATSAPP_ACCESS_TOKEN.strip()


def token_for(phone_number_id: str) -> str:
    return access_token(whatsapp_account(phone_number_id))


def save_access_token(account: ChannelAccount, token: str, *, actor: str, request=None) -> int:
    """Store a new token for the number (a new version; the previous one stops at
    once: Meta has already revoked it or soon will). Returns the version."""
    created = secret_rotate(account.access_token_secret_name, account.tenant, value=token,
                            actor=actor, request=request)
    _forget_problem(account)
    return created.version if created is not None else 0


def token_status(account: ChannelAccount) -> str:
    """What staff see instead of the token: set (version, date) or missing."""
    latest = latest_version(account.access_token_secret_name, account.tenant)
    if latest is not None and valid_secrets(account.access_token_secret_name, account.tenant):
        return _("set, version %(version)s, %(date)s") % {
            "version": latest.version, "date": formats.date_format(latest.activated_at, "j M Y")}
    if settings.WHATSAPP_ACCESS_TOKEN:
        return _("missing: the deployment's WHATSAPP_ACCESS_TOKEN is used")
    return _("missing")


# --- when Meta says no ---------------------------------------------------------

def credentials_failed(phone_number_id: str, problem: str, detail: str = "") -> None:
    """Flag the number and tell operators, once per channel, not once per reply."""
    account = whatsapp_account(phone_number_id)
    try:
        if account is not None:
            account.flag_credentials(problem)
        first = cache.add(f"whatsapp:credentials_logged:{phone_number_id}", "1", LOG_AGAIN_AFTER_SECONDS)
    except Exception:  # without the cache every failure is logged: better than none
        first = True
    if first:
        logger.error(
            "WhatsApp number %s (%s): the access token is %s%s; its replies fail until a new token is "
            "saved on its channel account", phone_number_id, account.tenant.slug if account else "no hotel",
            problem, f" ({detail})" if detail else "",
        )


def credentials_worked(phone_number_id: str) -> None:
    """A send went through: whatever was flagged is over."""
    try:
        if cache.get(ChannelAccount.credentials_key(phone_number_id)):
            account = whatsapp_account(phone_number_id)
            if account is not None:
                _forget_problem(account)
    except Exception:  # the flag ages out on its own
        logger.warning("could not clear the credentials flag of %s", phone_number_id, exc_info=True)


def _forget_problem(account: ChannelAccount) -> None:
    account.clear_credentials_problem()
    cache.delete(f"whatsapp:credentials_logged:{account.external_id}")


def flagged_accounts() -> list[tuple[ChannelAccount, str]]:
    """WhatsApp numbers whose last send found the token missing or rejected."""
    accounts = list(ChannelAccount.objects.with_scopes_disabled().select_related("tenant")
                    .filter(channel=ChannelAccount.Channel.WHATSAPP))
    problems = [(account, account.credentials_problem()) for account in accounts]
    return [(account, problem) for account, problem in problems if problem]


# --- the admin's questions (tenants.models signals) ------------------------------

@receiver(access_token_saved, dispatch_uid="webhooks.save_access_token")
def _save_from_admin(sender, account, token, request=None, **kwargs) -> None:
    user = getattr(request, "user", None)
    save_access_token(account, token, actor=f"user:{user.pk}" if user is not None else "system",
                      request=request)


@receiver(access_token_status_requested, dispatch_uid="webhooks.token_status")
def _status_for_admin(sender, account, **kwargs) -> str:
    return token_status(account)


# --- manage.py check -------------------------------------------------------------

@checks.register()
def check_whatsapp_tokens(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """webhooks.W001: WhatsApp numbers whose replies would fail for want of a token."""
    if settings.WHATSAPP_ACCESS_TOKEN:
        return []
    try:
        accounts = list(ChannelAccount.objects.with_scopes_disabled().select_related("tenant")
                        .filter(channel=ChannelAccount.Channel.WHATSAPP))
        missing = [account for account in accounts if not stored_token(account)]
    except DatabaseError:  # no database yet (before migrate): nothing to say
        return []
    return [
        checks.Warning(
            f"WhatsApp channel account {account.external_id} of {account.tenant.slug} has no access token "
            "and WHATSAPP_ACCESS_TOKEN is not set: its replies will fail.",
            hint="Save the number's access token on its channel account in the admin, "
                 "or set WHATSAPP_ACCESS_TOKEN for a single-hotel deployment.",
            obj=account, id="webhooks.W001",
        )
        for account in missing
    ]
