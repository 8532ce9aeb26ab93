"""Hotels, their channels and their people.

Room types join the hotel screen from reservations/admin.py (tenants cannot
import reservations), which registers a subclass of TenantAdmin.
"""
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .admin_scoping import TenantScopedAdmin
from .models import ChannelAccount, FAQEntry, Tenant, TenantMembership

tenant_filter = ("tenant", admin.RelatedOnlyFieldListFilter)  # lists only hotels the user sees


class ChannelAccountInline(TenantScopedAdmin, admin.TabularInline):
    model = ChannelAccount
    extra = 0


class MembershipInline(TenantScopedAdmin, admin.TabularInline):
    model = TenantMembership
    extra = 0


class FAQEntryInline(TenantScopedAdmin, admin.StackedInline):
    model = FAQEntry
    extra = 0
    fields = (("topic", "language", "is_active", "position"), "questions", "answer")


# What the agent tells guests besides bookings; the FAQ entries come on top of these.
GUEST_INFORMATION = (
    "address", "directions", "support_phone", "support_email", "check_in_time", "check_out_time",
    "late_checkout_until", "late_checkout_fee", "cancellation_policy", "infants_count_as_guests",
)


@admin.register(Tenant)
class TenantAdmin(TenantScopedAdmin, admin.ModelAdmin):
    """Superusers add hotels; a hotel's managers edit its profile, its staff read it."""

    list_display = ("name", "slug", "language", "currency", "timezone", "is_active")
    list_filter = ("is_active", "language")
    search_fields = ("name", "slug")
    inlines = [ChannelAccountInline, MembershipInline, FAQEntryInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # "hotel.example" → https://

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_fieldsets(self, request, obj=None):
        """Django's single fieldset with the guest information moved to its own;
        built from the default so fields a subclass adds (reservations' PMS
        status) keep their place."""
        default = super().get_fieldsets(request, obj)
        fields = [field for _name, options in default for field in options["fields"]]
        return [
            (None, {"fields": [field for field in fields if field not in GUEST_INFORMATION]}),
            (_("Guest information"), {"fields": [field for field in GUEST_INFORMATION if field in fields]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # The slug names the hotel in URLs and metrics; suspending one is the operator's call.
            readonly += ["slug", "is_active"]
        return readonly


@admin.register(ChannelAccount)
class ChannelAccountAdmin(TenantScopedAdmin, admin.ModelAdmin):
    list_display = ("__str__", "channel", "external_id", "tenant")
    list_filter = ("channel", tenant_filter)
    search_fields = ("external_id", "display_address")
    autocomplete_fields = ("tenant",)


@admin.register(TenantMembership)
class TenantMembershipAdmin(TenantScopedAdmin, admin.ModelAdmin):
    """Managers give and take roles at their hotel among people who already work
    with them; a superuser creates the user accounts themselves."""

    list_display = ("user", "tenant", "role")
    list_filter = ("role", tenant_filter)
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("tenant",)
    list_select_related = ("user", "tenant")

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "user"] if obj is not None else readonly


@admin.register(FAQEntry)
class FAQEntryAdmin(TenantScopedAdmin, admin.ModelAdmin):
    """What the agent answers guests' questions with, word for word."""

    list_display = ("topic", "language", "first_question", "tenant", "is_active", "position")
    list_filter = ("topic", "language", "is_active", tenant_filter)
    search_fields = ("questions", "answer")
    autocomplete_fields = ("tenant",)
    list_select_related = ("tenant",)
    fields = ("tenant", ("topic", "language", "is_active", "position"), "questions", "answer")

    @admin.display(description=_("question"))
    def first_question(self, entry: FAQEntry) -> str:
        return next(iter(entry.question_list), "—")
