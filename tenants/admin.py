"""Hotels, their channels and their people.

Room types join the hotel screen from reservations/admin.py (tenants cannot
import reservations), which registers a subclass of TenantAdmin.
"""
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models
from django.utils.translation import gettext_lazy as _

from .admin_scoping import ScopedAdminForm, TenantScopedAdmin
from .models import ChannelAccount, FAQEntry, Tenant, TenantMembership
from .signals import access_token_saved, access_token_status_requested

tenant_filter = ("tenant", admin.RelatedOnlyFieldListFilter)  # lists only hotels the user sees


class ChannelAccountForm(ScopedAdminForm):
    """The channel with a write-only access token: typed once, stored encrypted by
    webhooks.whatsapp_credentials (a new version each time), never shown again."""

    access_token = forms.CharField(
        label=_("Access token"), required=False, max_length=4096,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password", "size": 16}),
        help_text=_("WhatsApp only. Leave empty to keep the current token; a new one replaces it."),
    )
    request = None  # set by the admin that builds the form: the token's save is audited as that user

    class Meta:
        model = ChannelAccount
        fields = "__all__"

    def clean_access_token(self) -> str:
        token = self.cleaned_data.get("access_token", "")
        if token and not (token.isascii() and token.isprintable() and not any(c.isspace() for c in token)):
            raise forms.ValidationError(_("An access token is letters, digits and symbols only: "
                                          "no spaces, line breaks or accents."))
        return token

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("access_token") and cleaned.get("channel") != ChannelAccount.Channel.WHATSAPP:
            self.add_error("access_token", _("Only WhatsApp channels have an access token."))
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()
        if self.cleaned_data.get("access_token"):  # the row is saved, in the admin's transaction
            access_token_saved.send(sender=ChannelAccount, account=self.instance,
                                    token=self.cleaned_data["access_token"], request=self.request)


class ChannelAccountScreen:
    """What the channel's screen and the hotel's inline share: the form bound to the
    request, and the token's masked status."""

    form = ChannelAccountForm
    readonly_fields = ("access_token_status",)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return [field for field in fields if field != "access_token"]  # nothing to type, nothing to show

    @staticmethod
    def with_request(form_class, request):
        return type(form_class.__name__, (form_class,), {"request": request})

    @admin.display(description=_("token status"))
    def access_token_status(self, account) -> str:
        if account is None or account.pk is None or account.channel != ChannelAccount.Channel.WHATSAPP:
            return "—"
        answers = access_token_status_requested.send(sender=ChannelAccount, account=account)
        status = next((str(answer) for _receiver, answer in answers if answer), "—")
        problem = account.credentials_problem()
        if problem == ChannelAccount.CREDENTIALS_REJECTED:
            return _("%(status)s — rejected by Meta") % {"status": status}
        if problem == ChannelAccount.CREDENTIALS_MISSING:
            return _("%(status)s — replies failing") % {"status": status}
        return status


class ChannelAccountInline(ChannelAccountScreen, TenantScopedAdmin, admin.TabularInline):
    model = ChannelAccount
    extra = 0
    fields = ("channel", "external_id", "business_account_id", "display_address", "access_token",
              "access_token_status")

    def get_formset(self, request, obj=None, **kwargs):
        narrow = forms.TextInput(attrs={"size": 16})  # six columns must fit the hotel's page
        kwargs.setdefault("widgets", {name: narrow for name in ("external_id", "business_account_id",
                                                                "display_address")})
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = self.with_request(formset.form, request)
        return formset


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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The hotel's WhatsApp numbers whose token is missing or rejected: a red banner."""
        tenant = self.get_object(request, unquote(object_id))
        troubled = [] if tenant is None else [
            account for account in ChannelAccount.objects.with_scopes_disabled().filter(
                tenant=tenant, channel=ChannelAccount.Channel.WHATSAPP)
            if account.credentials_problem()
        ]
        extra_context = {**(extra_context or {}), "credentials_problems": troubled}
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ChannelAccount)
class ChannelAccountAdmin(ChannelAccountScreen, TenantScopedAdmin, admin.ModelAdmin):
    list_display = ("__str__", "channel", "external_id", "tenant")
    list_filter = ("channel", tenant_filter)
    search_fields = ("external_id", "display_address", "business_account_id")
    autocomplete_fields = ("tenant",)
    fields = ("tenant", "channel", "external_id", "business_account_id", "display_address", "access_token",
              "access_token_status")

    def get_form(self, request, obj=None, change=False, **kwargs):
        return self.with_request(super().get_form(request, obj, change, **kwargs), request)


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
