"""DRF authentication by `Authorization: Api-Key <key>`; every failure is audited."""
from rest_framework import authentication, exceptions, permissions

from . import audit
from .api_keys import api_key_check, prefix_of

KEYWORD = "Api-Key"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        keyword, _, raw_key = header.partition(" ")
        raw_key = raw_key.strip()
        if keyword != KEYWORD or not raw_key:
            self._fail(request, "missing_api_key", "")
        api_key = api_key_check(raw_key)
        if api_key is None:
            self._fail(request, "invalid_api_key", prefix_of(raw_key))
        if not api_key.tenant.is_active:
            self._fail(request, "inactive_tenant", api_key.prefix, tenant=api_key.tenant)
        return (None, api_key)

    def authenticate_header(self, request) -> str:
        return KEYWORD

    @staticmethod
    def _fail(request, reason: str, prefix: str, tenant=None):
        audit.record(
            audit.Type.AUTH_FAILURE,
            tenant=tenant,
            action="api_authentication",
            actor=f"api_key:{prefix}" if prefix else "anonymous",
            request=request,
            resource=request.path[:200],
            details={"reason": reason, "method": request.method},
        )
        raise exceptions.AuthenticationFailed("Invalid or missing API key.")


class HasTenantApiKey(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.auth is not None and hasattr(request.auth, "tenant")
