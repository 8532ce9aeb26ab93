"""Managed secrets in the back office: which versions exist and until when they
verify, never their values; "Rotate now" adds a version on demand."""
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tenants.admin import tenant_filter
from tenants.admin_scoping import MANAGERS, ReadOnlyMixin, TenantScopedAdmin

from ..models import ManagedSecret
from ..rotation import rotate

FIELDS = ("name", "tenant", "version", "created_at", "activated_at", "expires_at")


@admin.register(ManagedSecret)
class ManagedSecretAdmin(ReadOnlyMixin, TenantScopedAdmin, admin.ModelAdmin):
    """Read-only: versions are made by rotations, which encrypt the value and audit
    themselves. Hotel managers see and rotate their hotel's secrets; global ones
    (no hotel) are superusers' only."""

    view_roles = MANAGERS
    change_roles = MANAGERS
    list_display = ("name", "version", "hotel", "activated_at", "expires_at", "created_at")
    list_filter = ("name", tenant_filter)
    list_select_related = ("tenant",)
    fields = FIELDS
    readonly_fields = FIELDS
    actions = ["rotate_now"]

    @admin.display(description=gettext_lazy("hotel"), ordering="tenant__name")
    def hotel(self, secret):
        return secret.tenant or _("Every hotel")

    def has_rotate_permission(self, request):
        return request.user.is_superuser or self.has_role(request, MANAGERS)

    @admin.action(description=gettext_lazy("Rotate now"), permissions=["rotate"])
    def rotate_now(self, request, queryset):
        chosen = self.for_roles(request, queryset, MANAGERS).select_related("tenant")
        rotated = 0
        for name, tenant in dict.fromkeys((secret.name, secret.tenant) for secret in chosen):
            if rotate(name, tenant, force=True, actor=f"user:{request.user.pk}", request=request):
                rotated += 1
        self.message_user(request, ngettext(
            "%(count)d secret rotated.", "%(count)d secrets rotated.", rotated
        ) % {"count": rotated})
