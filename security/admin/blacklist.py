"""The guest blacklist in the back office: entries one by one, or many from a CSV file.

The screen only translates: normalizing, permissions and the audit trail live
in security.blacklist, which the CSV import uses too.
"""
import contextlib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tenants.admin import tenant_filter
from tenants.admin_scoping import MANAGERS, ScopedAdminForm, TenantScopedAdmin, tenant_ids_with
from tenants.models import Tenant

from ..audit import client_ip
from ..blacklist import (
    IMPORT_COLUMNS,
    MAX_IMPORT_ROWS,
    blacklist_entry_delete,
    blacklist_entry_save,
    blacklist_import_csv,
    clean_entry_fields,
)
from ..hostile import report_if_hostile
from ..models import BlacklistEntry
from ..validation import normalize_phone


class BlacklistEntryForm(ScopedAdminForm):
    """Stores addresses the way the booking rules normalize guests' ones, so that
    is_blacklisted's exact match finds them."""

    typed_reason = ""

    def clean(self):
        cleaned = super().clean()
        tenant = cleaned.get("tenant", self.instance.tenant if self.instance.tenant_id else None)
        self.typed_reason = cleaned.get("reason", "")
        try:
            cleaned.update(clean_entry_fields(
                tenant=tenant, email=cleaned.get("email", ""), phone=cleaned.get("phone", ""),
                reason=self.typed_reason,
            ))
        except ValidationError as error:
            for name, errors in error.error_dict.items():
                if name not in self.errors:  # the field's own check has already said what is wrong
                    self.add_error(name, errors)
        return cleaned


class ExpiryFilter(admin.SimpleListFilter):
    title = gettext_lazy("expiry")
    parameter_name = "expired"

    def lookups(self, request, model_admin):
        return (("no", _("Not expired")), ("yes", _("Expired")))

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(expires_at__lte=now)
        if self.value() == "no":
            return queryset.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        return queryset


class BlacklistImportForm(forms.Form):
    tenant = forms.ModelChoiceField(
        queryset=Tenant.objects.none(), required=False, label=gettext_lazy("Hotel")
    )
    file = forms.FileField(label=gettext_lazy("CSV file"))

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        tenant = self.fields["tenant"]
        if request.user.is_superuser:
            tenant.queryset = Tenant.objects.all()
            tenant.empty_label = _("Every hotel, or the hotel each row names")
        else:
            tenant.queryset = Tenant.objects.filter(pk__in=tenant_ids_with(request, MANAGERS))
            tenant.required = True


@admin.register(BlacklistEntry)
class BlacklistEntryAdmin(TenantScopedAdmin, admin.ModelAdmin):
    """Hotel managers keep their hotel's list; entries for every hotel (no tenant)
    are made and changed by superusers only."""

    form = BlacklistEntryForm
    list_display = ("__str__", "hotel", "reason", "is_active", "expires_at", "created_by", "created_at")
    list_filter = ("is_active", ExpiryFilter, tenant_filter)
    search_fields = ("email", "phone", "reason")
    autocomplete_fields = ("tenant",)
    fields = ("tenant", "email", "phone", "reason", "expires_at", "is_active", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    list_select_related = ("tenant", "created_by")

    @admin.display(description=gettext_lazy("hotel"), ordering="tenant__name")
    def hotel(self, entry):
        return entry.tenant or _("Every hotel")

    def get_search_results(self, request, queryset, search_term):
        """"+34 612 000 111" finds the entry stored as +34612000111."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip().startswith("+"):
            with contextlib.suppress(ValidationError):
                results |= queryset.filter(phone=normalize_phone(search_term, region=None))
        return results, may_have_duplicates

    def save_model(self, request, obj, form, change):
        ip_address = client_ip(request)
        blacklist_entry_save(entry=obj, user=request.user, ip_address=ip_address, changed=form.changed_data)
        if not change or "reason" in form.changed_data:
            report_if_hostile(form.typed_reason, tenant=obj.tenant, source="admin",
                              actor=f"user:{request.user.pk}", ip_address=ip_address, field="reason")

    def delete_model(self, request, obj):
        blacklist_entry_delete(entry=obj, user=request.user, ip_address=client_ip(request))

    def delete_queryset(self, request, queryset):
        for entry in self.for_roles(request, queryset, self.change_roles).select_related("tenant"):
            blacklist_entry_delete(entry=entry, user=request.user, ip_address=client_ip(request))

    def audit_admin_change(self, request, obj, action, **kwargs):
        """The blacklist services audit every change as `blacklist:<id>`; a second,
        generic event per change would only repeat them."""

    # --- CSV import ------------------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        import_csv = path(
            "import/", self.admin_site.admin_view(self.import_view),
            name=f"{opts.app_label}_{opts.model_name}_import",
        )
        return [import_csv, *super().get_urls()]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BlacklistImportForm(request.POST or None, request.FILES or None, request=request)
        report = None
        if request.method == "POST" and form.is_valid():
            report = blacklist_import_csv(
                file=form.cleaned_data["file"], tenant=form.cleaned_data["tenant"], user=request.user,
                ip_address=client_ip(request),
            )
            if not report.problems:
                messages.info(request, ngettext(
                    "%(imported)d of %(count)d row imported.", "%(imported)d of %(count)d rows imported.",
                    len(report.rows),
                ) % {"imported": len(report.imported), "count": len(report.rows)})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import blacklist entries from CSV"),
            "form": form,
            "report": report,
            "columns": IMPORT_COLUMNS,
            "max_rows": MAX_IMPORT_ROWS,
            "is_superuser": request.user.is_superuser,
        }
        return TemplateResponse(request, "admin/security/blacklistentry/import.html", context)
