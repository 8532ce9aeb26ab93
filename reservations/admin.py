"""Room types, nightly inventory and reservations in the back office.

Every write that carries a booking rule goes through reservations.services:
saving a room type opens or resizes its inventory with `inventory_sync`;
booking, changing, checking in and out and cancelling call the reservation
services, exactly as the API and the agent do.
"""
import logging
from functools import partial

from babel.dates import format_date, format_datetime
from babel.numbers import format_percent
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from security.audit import client_ip
from security.models import AuditEvent
from tenants.admin import TenantAdmin, tenant_filter
from tenants.admin_scoping import MEMBERS, ReadOnlyMixin, ScopedAdminForm, TenantScopedAdmin, tenant_ids_with
from tenants.formatting import active_locale, money
from tenants.models import Tenant

# The inventory and its calendar live in their own module; importing it registers them.
from . import admin_inventory  # noqa: F401
from .errors import Busy, ReservationError
from .forms import FIELDS, ChangeReservationForm, NewReservationForm
from .models import GuestRating, LateCheckoutRequest, NightlyInventory, PendingBooking, Reservation, RoomType
from .pms.breaker import ENDPOINTS, State, breaker_for, circuit_states
from .pms.credentials import SECRET_NAME as PMS_KEY_NAME
from .pms.credentials import webservice_key
from .room_facts import AMENITY_CHOICES
from .selectors import room_types_for
from .services import (
    InvalidTransition,
    NotChangeable,
    inventory_sync,
    reservation_cancel,
    reservation_change,
    reservation_check_in,
    reservation_check_out,
    reservation_create,
    reservation_mark_no_show,
)
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
            "photo_url",
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


STATUS_BUTTONS = {
    # url name suffix: (service, label, message when done)
    "check_in": (reservation_check_in, gettext_lazy("Check in"), gettext_lazy("%(code)s checked in.")),
    "check_out": (reservation_check_out, gettext_lazy("Check out"), gettext_lazy("%(code)s checked out.")),
    "no_show": (reservation_mark_no_show, gettext_lazy("No-show"),
                gettext_lazy("%(code)s marked as a no-show; its room is on sale again from today.")),
}
# Query parameters of the change list that are not filters.
NOT_FILTERS = {"o", "p", "_changelist_filters", "all", "e", "_to_field", "_popup"}


def day(date) -> str:
    return format_date(date, format="medium", locale=active_locale())


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyMixin, TenantScopedAdmin, admin.ModelAdmin):
    """Every write goes through reservations.services, with every booking rule:
    phone and walk-in bookings through reservation_create (source `admin`), changes
    through reservation_change, the front desk's statuses through their services,
    cancelling (after a confirmation page) through reservation_cancel. Django's own
    change form stays read-only; nothing is ever deleted."""

    list_display = ("code", "guest_name", "room", "stay", "status_label", "total_price", "source_label")
    list_filter = ("status", "room_type", "source", tenant_filter)
    date_hierarchy = "check_in"
    search_fields = ("code", "guest_name", "guest_email", "guest_phone")
    list_select_related = ("tenant", "room_type")
    fields = (
        "code", "tenant", "status_label", "room_type", "stay", "guests", "guest_name", "guest_email",
        "guest_phone", "special_requests", "rates", "discount", "total_price", "source_label",
        "external_reference", "created_at", "updated_at", "cancelled_at",
    )
    readonly_fields = fields
    actions = ["cancel_selected"]
    cancel_roles = MEMBERS
    booking_roles = MEMBERS

    @admin.display(description=gettext_lazy("stay"), ordering="check_in")
    def stay(self, reservation) -> str:
        return f"{day(reservation.check_in)} – {day(reservation.check_out)}"

    @admin.display(description=gettext_lazy("room type"), ordering="room_type__name")
    def room(self, reservation) -> str:
        return reservation.room_type.name

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_label(self, reservation) -> str:
        return reservation.get_status_display()

    @admin.display(description=gettext_lazy("total"), ordering="total")
    def total_price(self, reservation) -> str:
        return money(reservation.total, reservation.currency)

    @admin.display(description=gettext_lazy("source"), ordering="source")
    def source_label(self, reservation) -> str:
        return reservation.get_source_display()

    @admin.display(description=gettext_lazy("nightly rates"))
    def rates(self, reservation) -> str:
        return ", ".join(money(rate, reservation.currency) for rate in reservation.nightly_rates)

    @admin.display(description=gettext_lazy("long-stay discount"))
    def discount(self, reservation) -> str:
        return format_percent(reservation.discount_rate, locale=active_locale())

    # --- Who may do what ---------------------------------------------------------

    def has_cancel_permission(self, request, obj=None):
        return request.user.is_superuser or self.has_role(request, self.cancel_roles, obj)

    def has_book_permission(self, request, obj=None):
        return request.user.is_superuser or self.has_role(request, self.booking_roles, obj)

    def has_add_permission(self, request, *args):
        return self.has_book_permission(request)

    def bookable_hotels(self, request):
        hotels = Tenant.objects.filter(is_active=True).order_by("name")
        if request.user.is_superuser:
            return hotels
        return hotels.filter(pk__in=tenant_ids_with(request, self.booking_roles))

    @staticmethod
    def actor(request) -> str:
        return f"user:{request.user.pk}"

    # --- Screens -------------------------------------------------------------------

    def get_urls(self):
        def view(suffix, function):
            return path(f"<path:object_id>/{suffix.replace('_', '-')}/", self.admin_site.admin_view(function),
                        name=f"reservations_reservation_{suffix}")

        buttons = [view(action, partial(self.status_view, action=action)) for action in STATUS_BUTTONS]
        return [view("cancel", self.cancel_view), view("edit", self.edit_view), *buttons, *super().get_urls()]

    def render_page(self, request, template: str, title: str, obj=None, **context):
        return TemplateResponse(request, f"admin/reservations/reservation/{template}", {
            **self.admin_site.each_context(request), "opts": self.opts, "title": title, "original": obj,
            "reservation": obj, "media": self.media, **context,
        })

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        hotels = self.bookable_hotels(request)
        form = NewReservationForm(request.POST or None, tenants=hotels)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            booking = {field: data[field] for field in FIELDS}
            reservation = self.run(request, form, reservation_create, tenant=data["hotel"],
                                   source=Reservation.Source.ADMIN, **booking)
            if reservation is not None:
                self.message_user(request, _("Reservation %(code)s booked for %(total)s.") % {
                    "code": reservation.code, "total": money(reservation.total, reservation.currency)})
                change_url = reverse("admin:reservations_reservation_change", args=[reservation.pk])
                return HttpResponseRedirect(change_url)
        return self.render_page(request, "booking_form.html", _("Book a room"), form=form, adding=True)

    def edit_view(self, request, object_id):
        reservation = self.get_object(request, unquote(object_id))
        if reservation is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_book_permission(request, reservation):
            raise PermissionDenied
        change_url = reverse("admin:reservations_reservation_change", args=[reservation.pk])
        if reservation.status != Reservation.Status.CONFIRMED:
            self.message_user(request, NotChangeable(reservation).message, messages.ERROR)
            return HttpResponseRedirect(change_url)
        form = ChangeReservationForm(request.POST or None, reservation=reservation)
        if request.method == "POST" and form.is_valid():
            changed = self.run(request, form, reservation_change, tenant=reservation.tenant,
                               code=reservation.code, source="admin", **form.changes())
            if changed is not None:
                self.message_user(request, _("Reservation %(code)s changed; total %(total)s.") % {
                    "code": changed.code, "total": money(changed.total, changed.currency)})
                return HttpResponseRedirect(change_url)
        return self.render_page(request, "booking_form.html", _("Change reservation %(code)s") % {
            "code": reservation.code}, obj=reservation, form=form, change_url=change_url)

    def run(self, request, form, service, **arguments):
        """The service's result, or None with its refusal put on the form."""
        try:
            return service(actor=self.actor(request), ip_address=client_ip(request), **arguments)
        except ValidationError as error:
            form.add_service_errors(error)
        except Busy:
            form.add_error(None, _("Another booking is holding these rooms; try again in a moment."))
        except ReservationError as error:
            form.add_error(None, refusal_text(error))
        return None

    def status_view(self, request, object_id, *, action):
        service, _label, done = STATUS_BUTTONS[action]

        def act(request, reservation) -> bool:
            try:
                service(tenant=reservation.tenant, code=reservation.code, actor=self.actor(request),
                        ip_address=client_ip(request))
            except InvalidTransition as error:
                self.message_user(request, error.message, messages.ERROR)
                return False
            except Busy:
                self.message_user(request, _("Another request holds this reservation; try again."),
                                  messages.ERROR)
                return False
            return True

        return self.object_button_view(
            request, object_id, permitted=self.has_cancel_permission, act=act,
            done_message=lambda reservation: done % {"code": reservation.code},
        )

    def _cancel(self, request, reservation) -> bool:
        """True when this call cancelled it (cancelling twice is a no-op)."""
        was_confirmed = reservation.status == Reservation.Status.CONFIRMED
        try:
            reservation_cancel(
                tenant=reservation.tenant, code=reservation.code, source=Reservation.Source.ADMIN,
                actor=self.actor(request), ip_address=client_ip(request),
            )
        except (ReservationError, Busy) as error:  # Busy: another request holds its nights; retry
            self.message_user(request, _("%(code)s was not cancelled: %(error)s") % {
                "code": reservation.code, "error": refusal_text(error),
            }, messages.ERROR)
            return False
        return was_confirmed

    def cancel_view(self, request, object_id):
        """GET: what is about to be cancelled, and a button; POST: cancel."""
        if request.method == "GET":
            reservation = self.get_object(request, unquote(object_id))
            if reservation is None:
                return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
            if not self.has_cancel_permission(request, reservation):
                raise PermissionDenied
            return self.render_page(
                request, "cancel_confirmation.html", _("Cancel reservation %(code)s?") % {
                    "code": reservation.code}, obj=reservation, stay=self.stay(reservation),
                total=self.total_price(reservation),
                cancellable=reservation.status == Reservation.Status.CONFIRMED,
            )
        return self.object_button_view(
            request, object_id, permitted=self.has_cancel_permission, act=self._cancel,
            done_message=lambda reservation: _("Reservation %(code)s cancelled.")
            % {"code": reservation.code},
        )

    @admin.action(description=gettext_lazy("Cancel selected reservations"), permissions=["cancel"])
    def cancel_selected(self, request, queryset):
        reservations = self.for_roles(request, queryset, self.cancel_roles)
        reservations = reservations.select_related("tenant", "room_type")
        if request.POST.get("confirm") != "yes":
            active = [row for row in reservations if row.status == Reservation.Status.CONFIRMED]
            return self.render_page(
                request, "cancel_selected_confirmation.html",
                _("Cancel %(count)d reservations?") % {"count": len(active)}, count=len(active),
                reservations=[(row, self.stay(row), self.total_price(row)) for row in active[:50]],
                selected=request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
                select_across=request.POST.get("select_across", "0"), filters=self.active_filters(request),
            )
        cancelled = sum(self._cancel(request, reservation) for reservation in reservations)
        self.message_user(request, ngettext(
            "%(count)d reservation cancelled.", "%(count)d reservations cancelled.", cancelled
        ) % {"count": cancelled})
        return None

    def active_filters(self, request) -> list[tuple[str, str]]:
        """The change list's filters and search, as (what, value) for people to read."""
        labels = {"q": _("Search")}
        for name in ("status", "room_type", "source", "tenant", "check_in"):
            labels[name] = capfirst(Reservation._meta.get_field(name).verbose_name)
        statuses = dict(Reservation.Status.choices) | dict(Reservation.Source.choices)
        shown = []
        for key, value in request.GET.items():
            if key in NOT_FILTERS:
                continue
            field = key.split("__")[0]
            shown.append((str(labels.get(field, field)), str(statuses.get(value, value))))
        return shown

    EVENT_LABELS = {
        "reservation_created": gettext_lazy("Booked"),
        "reservation_changed": gettext_lazy("Changed"),
        "reservation_cancelled": gettext_lazy("Cancelled"),
        "reservation_checked_in": gettext_lazy("Checked in"),
        "reservation_checked_out": gettext_lazy("Checked out"),
        "reservation_no_show": gettext_lazy("No-show"),
    }

    def history(self, reservation) -> list[tuple[str, str, str]]:
        """(when, what, who) of the reservation's audit events, people by their name."""
        events = list(
            AuditEvent.objects.with_scope(tenant=reservation.tenant)
            .filter(resource=f"reservation:{reservation.code}", action__in=self.EVENT_LABELS)
            .order_by("created_at", "id").values_list("created_at", "action", "actor")
        )
        user_ids = {int(actor[5:]) for _when, _action, actor in events
                    if actor.startswith("user:") and actor[5:].isdigit()}
        names = {f"user:{user.pk}": user.get_full_name() or user.get_username()
                 for user in get_user_model().objects.filter(pk__in=user_ids)}
        return [
            (format_datetime(timezone.localtime(when, reservation.tenant.tzinfo), format="short",
                             locale=active_locale()),
             str(self.EVENT_LABELS[action]), names.get(actor) or actor_label(actor))
            for when, action, actor in events
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        reservation = self.get_object(request, unquote(object_id))
        confirmed = reservation is not None and reservation.status == Reservation.Status.CONFIRMED
        may_act = reservation is not None and self.has_cancel_permission(request, reservation)
        today = reservation.tenant.local_today() if reservation is not None else None
        buttons = []
        if may_act and confirmed and today >= reservation.check_in:
            buttons += ["check_in", "no_show"]
        if may_act and reservation.status == Reservation.Status.CHECKED_IN:
            buttons.append("check_out")
        extra_context = {
            **(extra_context or {}),
            "events": self.history(reservation) if reservation is not None else [],
            "can_cancel": confirmed and may_act,
            "can_edit": confirmed and self.has_book_permission(request, reservation),
            "status_buttons": [
                (reverse(f"admin:reservations_reservation_{action}", args=[reservation.pk]),
                 STATUS_BUTTONS[action][1])
                for action in buttons
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)


REFUSALS = {
    "unavailable": gettext_lazy("No room of this type is free for every night of the stay."),
    "active_reservation_limit": gettext_lazy(
        "This guest already has as many active reservations as allowed."),
    "guest_not_allowed": gettext_lazy("The hotel does not accept bookings from this guest."),
    "pms_unavailable": gettext_lazy("The hotel's PMS is not answering; nothing was booked. Try again later."),
    "pms_rejected": gettext_lazy("The hotel's PMS refused the booking (check the room type's PMS id)."),
    "busy": gettext_lazy("Another request holds these rooms; try again in a moment."),
}


def actor_label(actor: str) -> str:
    """Who did it, for an actor that is not a user: the guest, an API key, the system."""
    kind, _sep, rest = actor.partition(":")
    if kind == "api_key":
        return _("API key %(prefix)s") % {"prefix": rest}
    if kind in ("guest_link", "guest", "whatsapp", "web"):
        return _("The guest")
    return actor or _("The system")


def refusal_text(error) -> str:
    """A refusal as staff read it, in their language."""
    if isinstance(error, NotChangeable | InvalidTransition):
        return error.message
    return str(REFUSALS.get(getattr(error, "code", ""), error))


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


@admin.register(GuestRating)
class GuestRatingAdmin(ReadOnlyMixin, TenantScopedAdmin, admin.ModelAdmin):
    """Guests' ratings of their stays, which the satisfaction gauge averages.
    Read-only: a rating is the guest's word, not something staff edit."""

    view_roles = MEMBERS
    list_display = ("created_at", "tenant", "score", "reservation")
    list_filter = ("score", tenant_filter)
    date_hierarchy = "created_at"
    search_fields = ("comment", "reservation__code")
    list_select_related = ("tenant", "reservation")
    readonly_fields = ("tenant", "reservation", "score", "comment", "created_at")


@admin.register(LateCheckoutRequest)
class LateCheckoutRequestAdmin(ReadOnlyMixin, TenantScopedAdmin, admin.ModelAdmin):
    """Guests' late check-out requests, for the front desk to approve or decline.
    Rows are written by the agent through late_checkout_request_create; the
    actions decide through late_checkout_request_decide, which audits."""

    view_roles = MEMBERS
    decide_roles = MEMBERS
    list_display = (
        "reservation", "guest", "tenant", "room_type", "check_out", "requested_until", "status",
        "created_at", "decided_by",
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
