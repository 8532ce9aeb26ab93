"""The audit trail in the back office: read-only, filterable, exportable, verifiable."""
import csv
import datetime
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tenants.admin import tenant_filter
from tenants.admin_scoping import MANAGERS, ReadOnlyMixin, TenantScopedAdmin

from .. import chain
from ..models import AuditEvent
from .actors import actor_label, with_actor_names


class _DateRange(forms.Form):
    created_from = forms.DateField(required=False)
    created_to = forms.DateField(required=False)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone())


class CreatedBetweenFilter(admin.ListFilter):
    """Events from one date to another, both included, on the server's calendar (UTC)."""

    title = gettext_lazy("date")
    template = "admin/security/created_between_filter.html"
    parameters = ("created_from", "created_to")

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        for name in self.parameters:
            if name in params:
                value = params.pop(name)
                self.used_parameters[name] = value[-1] if isinstance(value, list) else value
        self.form = _DateRange(self.used_parameters)

    def has_output(self):
        return True

    def expected_parameters(self):
        return list(self.parameters)

    def queryset(self, request, queryset):
        if not self.form.is_valid():
            raise IncorrectLookupParameters(self.form.errors)
        start, end = self.form.cleaned_data["created_from"], self.form.cleaned_data["created_to"]
        if start:
            queryset = queryset.filter(created_at__gte=_midnight(start))
        if end and end < datetime.date.max:  # up to the last day there is: no end
            queryset = queryset.filter(created_at__lt=_midnight(end + datetime.timedelta(days=1)))
        return queryset

    def choices(self, changelist):
        keep = {name: value for name, value in changelist.params.items() if name not in self.parameters}
        yield {
            "form": self.form,
            "keep": sorted(keep.items()),
            "clear_url": changelist.get_query_string(remove=self.parameters),
        }


def _cell(value) -> str:
    """Text a spreadsheet will not run as a formula (actors and paths come from outside)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


CSV_COLUMNS = ("id", "created_at", "event_type", "action", "tenant", "actor", "ip_address", "resource",
               "details", "chain", "sequence", "prev_hash", "hash")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyMixin, TenantScopedAdmin, admin.ModelAdmin):
    """Read-only for everyone: the trail is only worth something if nobody edits it.
    Hotel managers read, export and verify their hotel's events; events of no
    hotel are superusers' only."""

    view_roles = MANAGERS
    list_display = ("created_at", "event_type", "action", "tenant", "actor_name", "resource", "ip_address")
    list_filter = ("event_type", tenant_filter, CreatedBetweenFilter)
    search_fields = ("actor", "resource", "ip_address")
    list_select_related = ("tenant",)
    change_list_template = "admin/security/auditevent/change_list.html"
    actions = ["verify_chains"]
    fieldsets = (
        (None, {"fields": ("created_at", "event_type", "action", "tenant", "actor_name", "actor",
                           "ip_address", "resource")}),
        (gettext_lazy("Details"), {"fields": ("details_json",)}),
        (gettext_lazy("Hash chain"), {"fields": ("chain", "sequence", "prev_hash", "hash")}),
    )
    readonly_fields = ("created_at", "event_type", "action", "tenant", "actor_name", "actor", "ip_address",
                       "resource",
                       "details_json", "chain", "sequence", "prev_hash", "hash")

    def get_queryset(self, request):
        return with_actor_names(super().get_queryset(request))

    @admin.display(description=gettext_lazy("actor"), ordering="actor")
    def actor_name(self, event):
        return actor_label(event)

    @admin.display(description=gettext_lazy("details"))
    def details_json(self, event):
        return format_html("<pre>{}</pre>", json.dumps(event.details, indent=2, sort_keys=True,
                                                       ensure_ascii=False))

    @admin.action(description=gettext_lazy("Verify the audit chains of the selected events"))
    def verify_chains(self, request, queryset):
        names = sorted(set(queryset.order_by().values_list("chain", flat=True)) - {""})
        reports = chain.verify_chains(names)
        broken = [report for report in reports if not report.ok]
        for report in broken:
            self.message_user(request, _("The audit chain %(chain)s is broken at %(problem)s.") % {
                "chain": report.chain, "problem": report.broken}, messages.ERROR)
        if not broken:
            events = sum(report.events for report in reports)
            self.message_user(request, ngettext(
                "%(count)d audit chain verified (%(events)d events): nothing was changed, removed or "
                "reordered.",
                "%(count)d audit chains verified (%(events)d events): nothing was changed, removed or "
                "reordered.",
                len(reports),
            ) % {"count": len(reports), "events": events}, messages.SUCCESS)

    def get_urls(self):
        export = path("export/", self.admin_site.admin_view(self.export_view),
                      name="security_auditevent_export")
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The change list's events, with its filters and search, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            events = self.get_changelist_instance(request).queryset
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:security_auditevent_changelist") + "?e=1")
        writer = csv.writer(_Echo())

        def rows():
            yield writer.writerow(CSV_COLUMNS)
            for event in events.iterator(chunk_size=2000):
                yield writer.writerow([_cell(value) for value in (
                    event.pk, event.created_at.isoformat(), event.event_type, event.action,
                    event.tenant.slug if event.tenant else "", event.actor, event.ip_address,
                    event.resource, json.dumps(event.details, sort_keys=True, ensure_ascii=False),
                    event.chain, event.sequence, event.prev_hash, event.hash,
                )])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        filename = f"audit-events-{timezone.now():%Y%m%d-%H%M%S}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
