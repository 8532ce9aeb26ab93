"""The admin screens of guest messaging the hotel writes first: the WhatsApp
templates approved at Meta, and the guests who asked for no more messages.

Registered from webhooks/admin.py; kept apart because they are set-up screens
for managers, not the front desk's inbox.
"""
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from tenants.admin import tenant_filter
from tenants.admin_scoping import ReadOnlyMixin, ScopedAdminForm, TenantScopedAdmin

from .message_templates import PARAMETERS
from .models import GuestOptOut, MessageTemplate


class ParameterNamesField(forms.CharField):
    """The body parameters as staff type them, "guest_name, reservation_code",
    kept as the list of names the sender fills {{1}}, {{2}}… with."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(name) for name in value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, list):
            return value
        return [name.strip() for name in value.replace("\n", ",").split(",") if name.strip()]


class MessageTemplateForm(ScopedAdminForm):
    parameters = ParameterNamesField(
        label=capfirst(MessageTemplate._meta.get_field("parameters").verbose_name), required=False,
        help_text=gettext_lazy("The values for {{1}}, {{2}}… of the template's body, in order, separated "
                               "by commas: e.g. guest_name, reservation_code. The purposes' parameters "
                               "are listed below."),
    )

    class Meta:
        model = MessageTemplate
        fields = ("tenant", "purpose", "name", "language", "category", "parameters", "is_active")

    def clean(self):
        cleaned = super().clean()
        purpose = cleaned.get("purpose")
        if purpose and "parameters" in cleaned:
            try:
                self.instance.purpose, self.instance.parameters = purpose, cleaned["parameters"]
                self.instance.clean()
            except ValidationError as error:
                self.add_error("parameters", error.message_dict.get("parameters", error.messages))
        return cleaned


@admin.register(MessageTemplate)
class MessageTemplateAdmin(TenantScopedAdmin, admin.ModelAdmin):
    """Managers copy here what Meta approved; every member may look."""

    form = MessageTemplateForm
    list_display = ("purpose", "name", "language", "category", "parameter_list", "is_active", "tenant")
    list_filter = ("purpose", "language", "is_active", tenant_filter)
    search_fields = ("name",)
    list_select_related = ("tenant",)
    readonly_fields = ("parameters_by_purpose",)
    fields = ("tenant", "purpose", "name", "language", "category", "parameters", "is_active",
              "parameters_by_purpose")

    @admin.display(description=gettext_lazy("body parameters"))
    def parameter_list(self, template):
        return ", ".join(template.parameters or []) or "—"

    @admin.display(description=gettext_lazy("parameters of each purpose"))
    def parameters_by_purpose(self, template):
        return format_html_join(
            "", "<p><strong>{}</strong>: {}</p>",
            ((purpose, ", ".join(names)) for purpose, names in PARAMETERS.items()),
        ) or format_html("—")


@admin.register(GuestOptOut)
class GuestOptOutAdmin(ReadOnlyMixin, TenantScopedAdmin, admin.ModelAdmin):
    """Who wrote "STOP": recorded from their message, undone only by the guest
    writing "START" again, so staff look and never edit."""

    list_display = ("guest_id", "channel", "text", "created_at", "tenant")
    list_filter = ("channel", tenant_filter)
    search_fields = ("guest_id",)
    list_select_related = ("tenant",)
