"""The guest blacklist in the back office."""
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.admin import tenant_filter
from tenants.admin_scoping import ScopedAdminForm, TenantScopedAdmin

from ..models import BlacklistEntry
from ..validation import normalize_email, normalize_phone


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
