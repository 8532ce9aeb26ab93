"""Nightly inventory in the back office: the nights of each room type, their
rooms, rates and whether they are closed to sale."""
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.admin_scoping import ScopedAdminForm, TenantScopedAdmin

from .models import NightlyInventory


class NightlyInventoryForm(ScopedAdminForm):
    def _post_clean(self):
        super()._post_clean()
        # rooms_booked is not on the form, so Django skips the model's constraint
        # that the total covers it; hold the new total against the stored count.
        if "rooms_total" in self.errors:
            return
        try:
            self.instance.validate_constraints(exclude={"room_type", "date"})
        except ValidationError:
            self.add_error("rooms_total", _("%(booked)d rooms are already booked that night.") % {
                "booked": self.instance.rooms_booked
            })


@admin.register(NightlyInventory)
class NightlyInventoryAdmin(TenantScopedAdmin, admin.ModelAdmin):
    """Nights are opened by inventory_sync, never added or deleted by hand.

    A total set here (a room out of order) stays: the daily inventory_sync only
    opens new nights, and a room count change only moves nights still at the old count."""

    tenant_field = "room_type__tenant"
    form = NightlyInventoryForm
    list_display = (
        "date", "room_type", "hotel", "rooms_total", "rooms_booked", "rooms_free", "rate_override",
    )
    list_editable = ("rooms_total", "rate_override")
    list_filter = ("room_type", "date", ("room_type__tenant", admin.RelatedOnlyFieldListFilter))
    date_hierarchy = "date"
    list_select_related = ("room_type__tenant",)
    fields = ("room_type", "date", "rooms_total", "rooms_booked", "rate_override")
    readonly_fields = ("room_type", "date", "rooms_booked")

    @admin.display(description=gettext_lazy("hotel"), ordering="room_type__tenant__name")
    def hotel(self, night):
        return night.room_type.tenant

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=NightlyInventoryForm, **kwargs)

    def save_model(self, request, obj, form, change):
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        # Write only what staff edit: rooms_booked belongs to the booking service and
        # may have moved since the page was loaded.
        obj.save(update_fields=["rooms_total", "rate_override"])
