"""Room types, nightly inventory and reservations in the back office.

Every write that carries a booking rule goes through reservations.services:
saving a room type opens or resizes its inventory with `inventory_sync`, and
cancelling calls `reservation_cancel`, exactly as the API and the agent do.
"""
import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from security.audit import client_ip
from tenants.admin import TenantAdmin, tenant_filter
from tenants.admin_scoping import MEMBERS, ReadOnlyMixin, ScopedAdminForm, TenantScopedAdmin
from tenants.models import Tenant

# The inventory and its calendar live in their own module; importing it registers them.
from . import admin_inventory  # noqa: F401
from .errors import Busy, ReservationError
from .models import LateCheckoutRequest, NightlyInventory, PendingBooking, Reservation, RoomType, StayRating
from .pms.breaker import ENDPOINTS, State, breaker_for, circuit_states
from .pms.credentials import SECRET_NAME as PMS_KEY_NAME
from .pms.credentials import webservice_key
from .room_facts import AMENITY_CHOICES
from .selectors import room_types_for
from .services import inventory_sync, reservation_cancel
from .services.late_checkout import late_checkout_request_decide

logger = logging.getLogger(__name__)


def sync_inventory(model_admin, request, room_type: RoomType, form=None) -> None:
    previous = form.initial.get("room_count") if form is not None else None
    opened = inventory_sync(room_type=room_type, previous_room_count=previous)
    model_admin.message_user(request, ngettext(
        "%(room_type)s: %(count)d night opened, future nights follow the room count.",
        "%(room_type)s: %(count)d nights opened, future nights follow the room count.",
        opened,
    ) % {"room_type": room_type, "count": opened})


class RoomTypeInline(TenantScopedAdmin, admin.TabularInline):
    """The hotel screen's short list; names, descriptions and amenities are edited
    on the room type's own screen, one link away."""

    model = RoomType
    extra = 0
    fields = ("code", "name", "max_guests", "base_rate", "room_count", "pms_room_type_id")
    show_change_link = True


NO_SHOP_URL = gettext_noop("QloApps selected but no shop URL is set")
NO_HOTEL_ID = gettext_noop("QloApps selected but no QloApps hotel id is set")
NO_WEBSERVICE_KEY = gettext_noop("QloApps selected but no webservice key is stored")


def pms_gaps(tenant) -> list[str]:
    """What a hotel set to QloApps still lacks for its PMS calls to work, in
    English (the log); the screen translates. The key is stored apart from the
    form, in the secret store, so a missing one is said rather than refused."""
    if tenant.pk is None or tenant.pms_backend != "qloapps":
        return []
    checks = ((tenant.pms_base_url, NO_SHOP_URL), (tenant.pms_hotel_id, NO_HOTEL_ID),
              (webservice_key(tenant), NO_WEBSERVICE_KEY))
    return [gap for present, gap in checks if not present]


class HotelAdmin(TenantAdmin):
    """The hotel screen with its room types. Replaces the registration made in
    tenants/admin.py, which cannot know about room types."""

    inlines = [*TenantAdmin.inlines, RoomTypeInline]
    actions = ["extend_inventory", "reset_pms_circuit"]
    readonly_fields = ("pms_status", "pms_circuit")

    @admin.display(description=gettext_lazy("PMS status"))
    def pms_status(self, tenant) -> str:
        if tenant.pk is None or tenant.pms_backend != "qloapps":
            return _("Rooms and bookings are kept in hotelagent's database.")
        gaps = pms_gaps(tenant)
        if not gaps:
            return _("QloApps: shop URL, hotel id and webservice key are set.")
        return " · ".join(self.gap_text(gap) for gap in gaps)

    @staticmethod
    def gap_text(gap: str) -> str:
        if gap == NO_WEBSERVICE_KEY:
            return _("%(gap)s (secret store name “%(name)s”, or PMS_WEBSERVICE_KEYS).") % {
                "gap": _(gap), "name": PMS_KEY_NAME}
        return _(gap)

    def warn_of_pms_gaps(self, request, tenant, *, already_said=frozenset()) -> None:
        for gap in pms_gaps(tenant):
            if self.gap_text(gap) not in already_said:
                self.message_user(request, self.gap_text(gap), messages.WARNING)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        tenant = self.get_object(request, unquote(object_id)) if request.method == "GET" else None
        if tenant is not None:
            # Reading the messages marks them shown, which this page is about to do; after
            # "Save and continue" the save's own warning is among them and is not repeated.
            said = {str(message) for message in messages.get_messages(request)}
            self.warn_of_pms_gaps(request, tenant, already_said=said)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for gap in pms_gaps(obj):
            logger.warning("%s: %s", obj.slug, gap)
        self.warn_of_pms_gaps(request, obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is RoomType:
            forms_by_object = {form.instance: form for form in formset.forms}
            for room_type in [*formset.new_objects, *(obj for obj, _fields in formset.changed_objects)]:
                sync_inventory(self, request, room_type, forms_by_object.get(room_type))

    @admin.action(description=gettext_lazy("Extend inventory by a year"), permissions=["change"])
    def extend_inventory(self, request, queryset):
        opened = 0
        for tenant in self.for_roles(request, queryset, self.change_roles):
            for room_type in room_types_for(tenant=tenant).order_by("code"):
                opened += inventory_sync(room_type=room_type)
        self.message_user(request, ngettext(
            "%(count)d night opened.", "%(count)d nights opened.", opened
        ) % {"count": opened})

    @admin.display(description=gettext_lazy("PMS circuit breaker"))
    def pms_circuit(self, tenant) -> str:
        """Each QloApps endpoint's circuit, as every process sees it."""
        if tenant.pk is None or tenant.pms_backend == "database":
            return "—"
        return ", ".join(
            f"{endpoint}: {state.label}"
            + (_(" (trial call in %(seconds)ds)") % {"seconds": breaker_for(tenant, endpoint).retry_after()}
               if state == State.OPEN else "")
            for endpoint, state in circuit_states(tenant).items()
        )

    @admin.action(description=gettext_lazy("Reset PMS circuit breaker"), permissions=["change"])
    def reset_pms_circuit(self, request, queryset):
        closed = 0
        for tenant in self.for_roles(request, queryset, self.change_roles):
            for endpoint in ENDPOINTS:
                was = breaker_for(tenant, endpoint).reset(actor=f"user:{request.user.pk}",
                                                          ip_address=client_ip(request))
                closed += was != State.CLOSED
        self.message_user(request, ngettext(
            "%(count)d PMS circuit closed.", "%(count)d PMS circuits closed.", closed
        ) % {"count": closed})


admin.site.unregister(Tenant)
admin.site.register(Tenant, HotelAdmin)


class RoomTypeForm(ScopedAdminForm):
    """Amenities as tick boxes from the fixed vocabulary the agent understands."""

    amenities = forms.MultipleChoiceField(
        choices=AMENITY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Amenities"),
    )

    class Meta:
        model = RoomType
        fields = "__all__"


@admin.register(RoomType)
class RoomTypeAdmin(TenantScopedAdmin, admin.ModelAdmin):
    form = RoomTypeForm
    list_display = ("name", "code", "tenant", "max_guests", "base_rate", "room_count", "beds", "size_m2")
    fieldsets = (
        (None, {"fields": ("tenant", "code", "name", "max_guests", "base_rate", "room_count",
                           "pms_room_type_id")}),
        (gettext_lazy("What guests are told"), {"fields": (
            "name_es", "name_en", "description_es", "description_en", "beds", "size_m2", "amenities",
        )}),
    )
    list_filter = (tenant_filter,)
    search_fields = ("name", "code")
    autocomplete_fields = ("tenant",)
    list_select_related = ("tenant",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        sync_inventory(self, request, obj, form)

    def get_deleted_objects(self, objs, request):
        """A room type's nights go with it. Nights cannot be deleted on their own
        (a booked night would come back empty), and a room type that ever had a
        reservation is protected anyway."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(NightlyInventory._meta.verbose_name)
        return deleted, counts, perms_needed, protected


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyMixin, TenantScopedAdmin, admin.ModelAdmin):
    """Reservations are booked through reservations.services.reservation_create
    (API, WhatsApp agent, guest links), which applies every booking rule. The
    back office therefore only looks and cancels: no adding, editing or deleting."""

    list_display = (
        "code", "guest_name", "tenant", "room_type", "check_in", "check_out", "guests",
        "status", "total", "currency", "source", "created_at",
    )
    list_filter = ("status", "room_type", "source", tenant_filter)
    date_hierarchy = "check_in"
    search_fields = ("code", "guest_name", "guest_email", "guest_phone")
    list_select_related = ("tenant", "room_type")
    actions = ["cancel_selected"]
    cancel_roles = MEMBERS

    def has_cancel_permission(self, request, obj=None):
        return request.user.is_superuser or self.has_role(request, self.cancel_roles, obj)

    def _cancel(self, request, reservation) -> bool:
        """True when this call cancelled it (cancelling twice is a no-op)."""
        was_confirmed = reservation.status == Reservation.Status.CONFIRMED
        try:
            reservation_cancel(
                tenant=reservation.tenant, code=reservation.code, source=Reservation.Source.ADMIN,
                actor=f"user:{request.user.pk}", ip_address=client_ip(request),
            )
        except (ReservationError, Busy) as error:  # Busy: another request holds its nights; retry
            self.message_user(request, _("%(code)s was not cancelled: %(error)s") % {
                "code": reservation.code, "error": error,
            }, messages.ERROR)
            return False
        return was_confirmed

    @admin.action(description=gettext_lazy("Cancel selected reservations"), permissions=["cancel"])
    def cancel_selected(self, request, queryset):
        reservations = self.for_roles(request, queryset, self.cancel_roles).select_related("tenant")
        cancelled = sum(self._cancel(request, reservation) for reservation in reservations)
        self.message_user(request, ngettext(
            "%(count)d reservation cancelled.", "%(count)d reservations cancelled.", cancelled
        ) % {"count": cancelled})

    def get_urls(self):
        cancel = path(
            "<path:object_id>/cancel/", self.admin_site.admin_view(self.cancel_view),
            name="reservations_reservation_cancel",
        )
        return [cancel, *super().get_urls()]

    def cancel_view(self, request, object_id):
        return self.object_button_view(
            request, object_id, permitted=self.has_cancel_permission, act=self._cancel,
            done_message=lambda reservation: _("Reservation %(code)s cancelled.")
            % {"code": reservation.code},
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        reservation = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "can_cancel": reservation is not None
            and reservation.status == Reservation.Status.CONFIRMED
            and self.has_cancel_permission(request, reservation),
        }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(PendingBooking)
class PendingBookingAdmin(ReadOnlyMixin, TenantScopedAdmin, admin.ModelAdmin):
    """Bookings accepted while the PMS was down, so staff can see what is waiting
    and what was refused. Read-only: the retry task settles them through
    reservation_create, with every rule re-checked."""

    view_roles = MEMBERS
    list_display = ("client_reference", "tenant", "status", "source", "attempts", "created_at", "updated_at")
    list_filter = ("status", "source", tenant_filter)
    search_fields = ("client_reference",)
    list_select_related = ("tenant",)
    readonly_fields = (
        "tenant", "client_reference", "status", "source", "request", "notify", "reservation", "attempts",
        "last_error", "created_at", "updated_at",
    )


@admin.register(StayRating)
class StayRatingAdmin(ReadOnlyMixin, TenantScopedAdmin, admin.ModelAdmin):
    """Guests' ratings of their stays, which the satisfaction gauge averages.
    Read-only: a rating is the guest's word, not something staff edit."""

    view_roles = MEMBERS
    list_display = ("created_at", "tenant", "rating", "reservation")
    list_filter = ("rating", tenant_filter)
    date_hierarchy = "created_at"
    search_fields = ("comment", "reservation__code")
    list_select_related = ("tenant", "reservation")
    readonly_fields = ("tenant", "reservation", "rating", "comment", "created_at")


@admin.register(LateCheckoutRequest)
class LateCheckoutRequestAdmin(ReadOnlyMixin, TenantScopedAdmin, admin.ModelAdmin):
    """Guests' late check-out requests, for the front desk to approve or decline.
    Rows are written by the agent through late_checkout_request_create; the
    actions decide through late_checkout_request_decide, which audits."""

    view_roles = MEMBERS
    decide_roles = MEMBERS
    list_display = (
        "reservation", "guest", "tenant", "room_type", "check_out", "requested_until", "status",
        "created_at", "decided_at", "decided_by",
    )
    list_filter = ("status", tenant_filter)
    search_fields = ("reservation__code", "reservation__guest_name")
    list_select_related = ("tenant", "reservation__room_type", "decided_by")
    date_hierarchy = "created_at"
    readonly_fields = (
        "tenant", "reservation", "requested_until", "status", "note", "created_at", "decided_at",
        "decided_by",
    )
    actions = ["approve_selected", "decline_selected"]

    @admin.display(description=gettext_lazy("guest"), ordering="reservation__guest_name")
    def guest(self, request_row):
        return request_row.reservation.guest_name

    @admin.display(description=gettext_lazy("room type"))
    def room_type(self, request_row):
        return request_row.reservation.room_type.name

    @admin.display(description=gettext_lazy("check-out"), ordering="reservation__check_out")
    def check_out(self, request_row):
        return request_row.reservation.check_out

    def has_decide_permission(self, request, obj=None):
        return request.user.is_superuser or self.has_role(request, self.decide_roles, obj)

    def _decide(self, request, queryset, *, approve: bool) -> int:
        rows = self.for_roles(request, queryset, self.decide_roles).select_related("tenant")
        return sum(
            late_checkout_request_decide(request=row, approve=approve, user=request.user,
                                         actor=f"user:{request.user.pk}", ip_address=client_ip(request))
            for row in rows
        )

    @admin.action(description=gettext_lazy("Approve selected late check-outs"), permissions=["decide"])
    def approve_selected(self, request, queryset):
        count = self._decide(request, queryset, approve=True)
        self.message_user(request, ngettext(
            "%(count)d late check-out approved.", "%(count)d late check-outs approved.", count
        ) % {"count": count})

    @admin.action(description=gettext_lazy("Decline selected late check-outs"), permissions=["decide"])
    def decline_selected(self, request, queryset):
        count = self._decide(request, queryset, approve=False)
        self.message_user(request, ngettext(
            "%(count)d late check-out declined.", "%(count)d late check-outs declined.", count
        ) % {"count": count})
