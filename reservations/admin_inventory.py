"""Nightly inventory in the back office: the nights of each room type, their
rooms, rates and whether they are closed to sale."""
import contextlib
import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from security.audit import client_ip
from security.locking import Busy
from tenants.admin_scoping import ScopedAdminForm, TenantScopedAdmin, tenant_ids_with
from tenants.formatting import money
from tenants.models import Tenant

from .models import NightlyInventory, RoomType
from .services.calendar import (
    DAY,
    PAGE_NIGHTS,
    Action,
    calendar_for,
    calendar_page_start,
    inventory_bulk_update,
    inventory_update,
)

FARTHEST_PAGE = datetime.timedelta(days=3 * 365)  # nights are opened a year ahead; beyond is empty
WEEKDAYS = [
    (0, gettext_lazy("Mon")), (1, gettext_lazy("Tue")), (2, gettext_lazy("Wed")), (3, gettext_lazy("Thu")),
    (4, gettext_lazy("Fri")), (5, gettext_lazy("Sat")), (6, gettext_lazy("Sun")),
]
ACTIONS = [
    (Action.SET_RATE, gettext_lazy("Set the rate")),
    (Action.CLEAR_RATE, gettext_lazy("Clear the rate override")),
    (Action.CLOSE, gettext_lazy("Close (stop-sell)")), (Action.OPEN, gettext_lazy("Open")),
]


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


class BulkEditForm(forms.Form):
    """"Set the rate of deluxe to 150 from 1 to 15 March", "close the suite on these dates"."""

    room_types = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Room types"), queryset=RoomType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    first = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label=gettext_lazy("To (inclusive)"),
                           widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Only on"), choices=WEEKDAYS, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=gettext_lazy("None ticked: every night."),
    )
    action = forms.ChoiceField(label=gettext_lazy("Action"), choices=ACTIONS, widget=forms.RadioSelect)
    rate = forms.CharField(label=gettext_lazy("Rate"), required=False, max_length=20,
                           widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}))

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, prefix="bulk", **kwargs)
        self.fields["room_types"].queryset = RoomType.objects.with_scope(tenant=tenant).all()
        self.fields["room_types"].label_from_instance = lambda room_type: room_type.name

    def add_service_errors(self, error: ValidationError) -> None:
        for name, problems in error.message_dict.items():
            for problem in problems:
                self.add_error(name if name in self.fields else None, problem)


@admin.register(NightlyInventory)
class NightlyInventoryAdmin(TenantScopedAdmin, admin.ModelAdmin):
    """Nights are opened by inventory_sync, never added or deleted by hand.

    A total set here (a room out of order) stays: the daily inventory_sync only
    opens new nights, and a room count change only moves nights still at the old count."""

    tenant_field = "room_type__tenant"
    form = NightlyInventoryForm
    list_display = (
        "date", "room_type", "hotel", "rooms_total", "rooms_booked", "rooms_free", "rate_override", "closed",
    )
    list_editable = ("rooms_total", "rate_override")
    list_filter = ("room_type", "date", "closed", ("room_type__tenant", admin.RelatedOnlyFieldListFilter))
    date_hierarchy = "date"
    list_select_related = ("room_type__tenant",)
    fields = ("room_type", "date", "rooms_total", "rooms_booked", "rate_override", "closed")
    readonly_fields = ("room_type", "date", "rooms_booked", "closed")  # closing is the calendar's, audited

    @admin.display(description=gettext_lazy("hotel"), ordering="room_type__tenant__name")
    def hotel(self, night):
        return night.room_type.tenant

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        calendar = path(
            "calendar/", self.admin_site.admin_view(self.calendar_view),
            name="reservations_nightlyinventory_calendar",
        )
        return [calendar, *super().get_urls()]

    # --- the availability calendar ---------------------------------------------------

    def calendar_hotels(self, request) -> list[Tenant]:
        hotels = Tenant.objects.order_by("name", "pk")
        if not request.user.is_superuser:
            hotels = hotels.filter(pk__in=tenant_ids_with(request, self.view_roles | self.change_roles))
        return list(hotels)

    def calendar_view(self, request):
        """Room types × the next 60 nights: rooms left, rate, closed nights, each a
        small form; and the bulk edit. Staff look, the change roles edit."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        hotels = self.calendar_hotels(request)
        tenant = _chosen_hotel(hotels, request.POST.get("hotel") or request.GET.get("hotel"))
        can_edit = request.user.is_superuser or self.has_role(request, self.change_roles, tenant)
        start = _page_start(tenant, request.POST.get("start") or request.GET.get("start"))
        bulk_form = BulkEditForm(tenant=tenant)
        cell_error = None
        if request.method == "POST":
            if not can_edit:
                raise PermissionDenied
            if "bulk-action" in request.POST:
                bulk_form = BulkEditForm(request.POST, tenant=tenant)
                if bulk_form.is_valid() and self._bulk_edit(request, tenant, bulk_form):
                    return _back_to(tenant, start)
            else:
                cell_error = self._cell_edit(request, tenant)
                if cell_error is None:
                    return _back_to(tenant, start, request.POST.get("date", ""))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Availability calendar"),
            "hotel": tenant,
            "hotels": hotels,
            "can_edit": can_edit,
            "bulk_form": bulk_form,
            "cell_error": cell_error,
            **_grid(tenant, start),
        }
        return TemplateResponse(request, "admin/reservations/nightlyinventory/calendar.html", context)

    def _cell_edit(self, request, tenant) -> dict | None:
        """One night of one room type from its cell; None when saved, else what went wrong."""
        post = request.POST
        action = post.get("action", "")
        if action == Action.SET_RATE and not post.get("rate", "").strip():
            action = Action.CLEAR_RATE  # an emptied box: back to the base rate
        fields = {
            Action.SET_RATE: {"rate": post.get("rate", "")}, Action.CLEAR_RATE: {"clear_rate": True},
            Action.CLOSE: {"closed": True}, Action.OPEN: {"closed": False},
        }.get(action)
        room_type = RoomType.objects.with_scope(tenant=tenant).filter(
            pk=post.get("room_type", "") if post.get("room_type", "").isdigit() else None
        ).first()
        try:
            night = datetime.date.fromisoformat(post.get("date", ""))
        except ValueError:
            night = None
        problem = {"room_type": room_type.pk if room_type else None, "date": night, "messages": []}
        if fields is None or room_type is None or night is None:
            problem["messages"] = [_("That cell could not be read; reload the calendar and try again.")]
            return problem
        try:
            changed = inventory_update(
                tenant=tenant, room_type=room_type, dates=[night], actor=f"user:{request.user.pk}",
                ip_address=client_ip(request), **fields,
            )
        except ValidationError as error:
            problem["messages"] = [text for texts in error.message_dict.values() for text in texts]
            problem["rate"] = post.get("rate", "")
            return problem
        except Busy:
            problem["messages"] = [_("A booking is holding this night; try again in a moment.")]
            return problem
        if changed:
            self.message_user(request, _("%(room_type)s, %(night)s: saved.") % {
                "room_type": room_type.name, "night": night.isoformat(),
            })
        return None

    def _bulk_edit(self, request, tenant, form) -> bool:
        data = form.cleaned_data
        try:
            changed = inventory_bulk_update(
                tenant=tenant, room_types=list(data["room_types"]), first=data["first"], last=data["last"],
                weekdays=data["weekdays"], action=data["action"], rate=data["rate"] or None,
                actor=f"user:{request.user.pk}", ip_address=client_ip(request),
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return False
        except Busy:
            form.add_error(None, _("A booking is holding some of these nights; try again in a moment."))
            return False
        self.message_user(request, ngettext(
            "%(count)d night changed.", "%(count)d nights changed.", changed
        ) % {"count": changed})
        return True

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=NightlyInventoryForm, **kwargs)

    def save_model(self, request, obj, form, change):
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        # Write only what staff edit: rooms_booked belongs to the booking service and
        # may have moved since the page was loaded.
        obj.save(update_fields=["rooms_total", "rate_override"])


def _chosen_hotel(hotels: list[Tenant], wanted: str | None) -> Tenant:
    """The hotel asked for (by slug), else the first one; 404 for a hotel the user
    does not work at, exactly as for one that does not exist."""
    if not hotels:
        raise Http404
    if not wanted:
        return hotels[0]
    for hotel in hotels:
        if hotel.slug == wanted:
            return hotel
    raise Http404


def _page_start(tenant: Tenant, value: str | None) -> datetime.date:
    try:
        start = datetime.date.fromisoformat(value or "")
    except ValueError:
        start = None
    today = tenant.local_today()
    return min(calendar_page_start(tenant=tenant, start=start), today + FARTHEST_PAGE)


def _back_to(tenant: Tenant, start: datetime.date, night: str = "") -> HttpResponseRedirect:
    url = reverse("admin:reservations_nightlyinventory_calendar")
    url += "?" + urlencode({"hotel": tenant.slug, "start": start.isoformat()})
    with contextlib.suppress(ValueError):
        url += f"#night-{datetime.date.fromisoformat(night).isoformat()}"  # back to the row edited
    return HttpResponseRedirect(url)


def _grid(tenant: Tenant, start: datetime.date) -> dict:
    """The calendar as the template walks it: a row per night, a cell per room type."""
    calendar = calendar_for(tenant=tenant, first=start)
    today = tenant.local_today()
    nights = []
    for index, night in enumerate(calendar.nights):
        cells = []
        for row in calendar.rows:
            cell = row.cells[index]
            cells.append({"room_type": row.room_type, "cell": cell,
                          "rate": money(cell.rate, calendar.currency) if cell else ""})
        nights.append({"date": night, "weekend": night.weekday() >= 5, "cells": cells})
    previous, following = max(start - DAY * PAGE_NIGHTS, today), start + DAY * PAGE_NIGHTS
    return {
        "room_types": [row.room_type for row in calendar.rows],
        "nights": nights,
        "start": start,
        "end": start + DAY * (PAGE_NIGHTS - 1),
        "previous_start": previous if start > today else None,
        "next_start": following if following <= today + FARTHEST_PAGE else None,
        "today": today,
        "currency": calendar.currency,
    }
