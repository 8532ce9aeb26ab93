"""API keys, the audit trail and the blacklist in the back office."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tenants.admin import tenant_filter
from tenants.admin_scoping import MANAGERS, ScopedAdminForm, TenantScopedAdmin

from .api_keys import api_key_create, api_key_revoke
from .models import ApiKey, AuditEvent, BlacklistEntry
from .validation import normalize_email, normalize_phone


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
        api_key, raw_key = api_key_create(tenant=obj.tenant, name=obj.name)
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
            api_key_revoke(api_key=api_key)
            revoked += 1
        self.message_user(request, ngettext(
            "%(count)d API key revoked.", "%(count)d API keys revoked.", revoked
        ) % {"count": revoked})


@admin.register(AuditEvent)
class AuditEventAdmin(TenantScopedAdmin, admin.ModelAdmin):
    """Read-only for everyone: the trail is only worth something if nobody edits it.
    Hotel managers read their hotel's events; events of no hotel are superusers' only."""

    view_roles = MANAGERS
    list_display = ("created_at", "event_type", "action", "tenant", "actor", "resource", "ip_address")
    list_filter = ("event_type", tenant_filter)
    search_fields = ("actor", "resource", "ip_address")
    date_hierarchy = "created_at"
    list_select_related = ("tenant",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BlacklistEntryForm(ScopedAdminForm):
    """Stores addresses the way the booking rules normalize guests' ones, so that
    is_blacklisted's exact match finds them."""

    def clean(self):
        cleaned = super().clean()
        tenant = cleaned.get("tenant", self.instance.tenant if self.instance.tenant_id else None)
        region = tenant.country if tenant else None  # global entries need +international phones
        for field, normalize in (
            ("email", normalize_email),
            ("phone", lambda value: normalize_phone(value, region=region)),
        ):
            if cleaned.get(field):
                try:
                    cleaned[field] = normalize(cleaned[field])
                except ValidationError as error:
                    self.add_error(field, error)
        return cleaned


@admin.register(BlacklistEntry)
class BlacklistEntryAdmin(TenantScopedAdmin, admin.ModelAdmin):
    """Hotel managers keep their hotel's list; entries for every hotel (no tenant)
    are made and changed by superusers only."""

    form = BlacklistEntryForm
    list_display = ("__str__", "hotel", "reason", "is_active", "expires_at", "created_by", "created_at")
    list_filter = ("is_active", tenant_filter)
    search_fields = ("email", "phone")
    autocomplete_fields = ("tenant",)
    fields = ("tenant", "email", "phone", "reason", "expires_at", "is_active", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    list_select_related = ("tenant", "created_by")

    @admin.display(description=gettext_lazy("hotel"), ordering="tenant__name")
    def hotel(self, entry):
        return entry.tenant or _("Every hotel")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
