"""The audit trail in the back office: read-only."""
from django.contrib import admin

from tenants.admin import tenant_filter
from tenants.admin_scoping import MANAGERS, TenantScopedAdmin

from ..models import AuditEvent


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
