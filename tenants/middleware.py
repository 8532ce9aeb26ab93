"""Enters the tenant scope for signed-in staff (the admin back office).

Superusers work unscoped; any other staff user is scoped to the hotels they are
a member of, so every admin queryset, autocomplete and foreign-key choice over a
tenant-owned model is filtered without each screen having to remember it.
"""
from django_scopes import scope, scopes_disabled

from .selectors import tenant_ids_for_user


class StaffTenantScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return self.get_response(request)
        if user.is_superuser:
            with scopes_disabled():
                return self.get_response(request)
        request.staff_tenant_ids = tenant_ids_for_user(user)
        with scope(tenant=request.staff_tenant_ids):
            return self.get_response(request)
