"""API keys in the back office: shown once, stored hashed, revoked not deleted."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tenants.admin import tenant_filter
from tenants.admin_scoping import TenantScopedAdmin

from ..api_keys import api_key_create, api_key_revoke
from ..models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(TenantScopedAdmin, admin.ModelAdmin):
    """Keys are made by api_key_create, which returns the plaintext once and keeps
    only its digest; the digest is never shown. Keys are revoked, not deleted, so
    `api_key:<prefix>` actors in the audit trail keep pointing at a row."""

    list_display = ("name", "prefix", "tenant", "created_at", "revoked_at", "last_used_at")
    list_filter = (tenant_filter, ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix")
    autocomplete_fields = ("tenant",)
    list_select_related = ("tenant",)
    actions = ["revoke_selected"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("tenant", "name")
        return ("tenant", "name", "prefix", "created_at", "last_used_at", "revoked_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*super().get_readonly_fields(request, obj), "prefix", "created_at", "last_used_at",
                "revoked_at")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        api_key, raw_key = api_key_create(tenant=obj.tenant, name=obj.name, actor=f"user:{request.user.pk}")
        for field in ApiKey._meta.concrete_fields:  # the admin goes on to log and link `obj`
            setattr(obj, field.attname, getattr(api_key, field.attname))
        obj._state.adding, obj._state.db = False, api_key._state.db
        messages.success(
            request, _("Copy the new API key now, it will not be shown again: %(key)s") % {"key": raw_key}
        )

    @admin.action(description=gettext_lazy("Revoke selected keys"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        keys = self.for_roles(request, queryset, self.change_roles).filter(revoked_at__isnull=True)
        revoked = 0
        for api_key in keys:
            api_key_revoke(api_key=api_key, actor=f"user:{request.user.pk}")
            revoked += 1
        self.message_user(request, ngettext(
            "%(count)d API key revoked.", "%(count)d API keys revoked.", revoked
        ) % {"count": revoked})
