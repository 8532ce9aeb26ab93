"""DRF authentication by `Authorization: Api-Key <key>`, or for the web chat by a
signature under the hotel's webhook secret; every failure is audited.

Guessing must not be free: an address whose failures pass
API_AUTH_FAILURES_PER_MINUTE is answered 429 for the rest of that minute —
even with a right key, or the 429-vs-200 difference would still tell a guesser
when they hit — and writes one audit event per burst instead of one per guess.
The count lives in the cache: while the cache is down it reads 0 (security/throttle.py),
and guessing goes unthrottled (every failure is still audited) rather than every
request of every hotel failing with a 500.
"""
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from rest_framework import authentication, exceptions, permissions

from tenants.models import Tenant

from . import audit
from .api_keys import api_key_lookup, api_key_mark_used, api_key_resolve
from .log_context import bind_tenant
from .throttle import (
    count_in,
    count_in_window,
    count_so_far,
    first_of_burst,
    seconds_left_in_window,
    window_key,
)
from .webhook_signing import signing_version

KEYWORD = "Api-Key"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        now = timezone.now()
        header = authentication.get_authorization_header(request).decode("latin-1")
        keyword, _, raw_key = header.partition(" ")
        raw_key = raw_key.strip()
        counter = window_key(_failures_key(request), now)
        # The address's failures are read with the key, in one cache round trip, and
        # judged before the key is: a right key gets the 429 too, and a throttled
        # guess costs no query (module docstring).
        given = keyword == KEYWORD and raw_key
        lookup = api_key_lookup(raw_key, read_along=[counter]) if given else None
        _refuse_if_guessing(request, now,
                            failures_so_far=count_in(lookup.values, counter) if lookup else None)
        if not given:
            self._fail(request, "missing_api_key", "")
        api_key = api_key_resolve(lookup, now=now) if lookup else None
        if api_key is None:
            self._fail(request, "invalid_api_key", lookup.prefix if lookup else "")
        if not api_key.tenant.is_active:
            self._fail(request, "inactive_tenant", api_key.prefix, tenant=api_key.tenant)
        api_key_mark_used(api_key)
        bind_tenant(api_key.tenant.slug)
        return (None, api_key)

    def authenticate_header(self, request) -> str:
        return KEYWORD

    @staticmethod
    def _fail(request, reason: str, prefix: str, tenant=None):
        _refuse(request, action="api_authentication", actor=f"api_key:{prefix}" if prefix else "",
                reason=reason, tenant=tenant, message="Invalid or missing API key.")


class TooManyFailures(exceptions.Throttled):
    default_detail = "Too many failed authentication attempts from this address."
    default_code = "too_many_authentication_failures"


def _failures_key(request) -> str:
    return f"api-auth-failures:{audit.client_ip(request._request) or 'unknown'}"


def _refuse_if_guessing(request, now=None, *, failures_so_far: int | None = None) -> None:
    key, now = _failures_key(request), now or timezone.now()
    if failures_so_far is None:
        failures_so_far = count_so_far(key, now)
    if failures_so_far < settings.API_AUTH_FAILURES_PER_MINUTE:
        return
    if first_of_burst(key):
        audit.record(
            audit.Type.SUSPICIOUS_ACTIVITY, action="api_authentication_throttled", actor="anonymous",
            request=request, resource=request.path[:200],
            details={"limit_per_minute": settings.API_AUTH_FAILURES_PER_MINUTE},
        )
    raise TooManyFailures(wait=seconds_left_in_window(now))


def _refuse(request, *, action: str, actor: str, reason: str, tenant, message: str):
    """Every way into the API fails the same way: one AUTH_FAILURE event, then 401.
    Each wrong credential counts towards the address's limit (see the module
    docstring); a request with none tells a guesser nothing and is not counted."""
    if reason != "missing_api_key":
        count_in_window(_failures_key(request), timezone.now())
    audit.record(
        audit.Type.AUTH_FAILURE,
        tenant=tenant,
        action=action,
        actor=actor or "anonymous",
        request=request,
        resource=request.path[:200],
        details={"reason": reason, "method": request.method},
    )
    raise exceptions.AuthenticationFailed(message)


class HasTenantApiKey(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.auth is not None and hasattr(request.auth, "tenant")


SIGNATURE_HEADER = "X-Signature-256"
TENANT_HEADER = "X-Tenant"
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,64}")


@dataclass(frozen=True)
class SignedRequest:
    """request.auth of a request signed with the hotel's webhook secret. It has
    the `tenant` and `prefix` views read from an ApiKey, so the audit trail names
    the secret version (`api_key:signed-v3`)."""

    tenant: Tenant
    version: int

    @property
    def prefix(self) -> str:
        return f"signed-v{self.version}"


class WebhookSignatureAuthentication(authentication.BaseAuthentication):
    """`X-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` under the
    webhook secret of the hotel named by `X-Tenant: <slug>`, instead of an API key.
    A request without the signature header is left to the next class; list this
    one first, since ApiKeyAuthentication refuses a request without its header."""

    def authenticate(self, request):
        signature = request.META.get("HTTP_X_SIGNATURE_256")
        if signature is None:
            return None
        _refuse_if_guessing(request)
        slug = request.META.get("HTTP_X_TENANT", "").strip()
        tenant = Tenant.objects.filter(slug=slug, is_active=True).first() if _SLUG.fullmatch(slug) else None
        if tenant is None:
            self._fail(request, "unknown_tenant", slug)
        version = signing_version(tenant, request.body, signature)
        if version is None:
            self._fail(request, "invalid_signature", slug, tenant=tenant)
        bind_tenant(tenant.slug)
        return (None, SignedRequest(tenant, version))

    def authenticate_header(self, request) -> str:
        return KEYWORD  # the usual way in, and what makes DRF answer 401 rather than 403

    @staticmethod
    def _fail(request, reason: str, slug: str, tenant=None):
        _refuse(request, action="signature_authentication", actor=f"signature:{slug[:64]}" if slug else "",
                reason=reason, tenant=tenant, message="Invalid or missing signature.")
