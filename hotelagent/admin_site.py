"""The back office's AdminSite: no URL parameter makes an admin screen fail.

Django's change lists turn any query parameter that names a model field into
an ORM lookup (`?check_in__year=9999`, `?status__exact=…`), and only some bad
values are caught before the query runs. The rest reach the database or the
date hierarchy's arithmetic and come back as a 500: a NUL that PostgreSQL
refuses in text, a year whose successor `datetime` cannot hold, an integer too
large for SQLite, an address PostgreSQL's `inet` cannot parse. So every view
of this site, present and future (screens, CSV exports, autocomplete, sign-in)
checks the query string before it runs:

- NUL or a lone surrogate in any parameter name or value, or in the URL's own
  arguments, is a 400 "Bad request": no form or link of ours sends one. So is
  a search (`q`, or the autocomplete's `term`) of more than 100 words, which
  SQLite cannot even parse once each word is ORed over every search field.
- A field lookup this screen cannot apply safely answers as Django does for a
  lookup it cannot apply at all: a redirect to the change list with `?e=1`.
  That covers dates outside years 2–9998 (a year's margin on each side of what
  `datetime` holds, so drilling down a year, a month or a day, or moving to
  another time zone, never overflows), date parts out of their calendar range
  (month 13, day -1), integers beyond 64 bits, decimals that are not finite
  numbers of sane size, malformed IP addresses, and the lookups no screen
  offers whose syntax is the database's own (regular expressions, JSON).

Parameters that do not name a field (`q`, `o`, `p`, a custom filter's own
`created_from`) are left to the view, which validates them itself.

The site also scopes Django's "view on site" shortcut to the rows the user may
see, so another hotel's row answers exactly like a row that does not exist.
"""
import datetime
import ipaddress
import re
from decimal import Decimal, InvalidOperation
from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.utils import unquote
from django.core.exceptions import BadRequest, FieldDoesNotExist, FieldError
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import smart_split
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

EARLIEST_DAY = datetime.date(datetime.MINYEAR + 1, 1, 1)
LATEST_DAY = datetime.date(datetime.MAXYEAR - 1, 12, 31)
INT64 = (-(2**63), 2**63 - 1)
DATE_PARTS = {
    "year": (EARLIEST_DAY.year, LATEST_DAY.year), "iso_year": (EARLIEST_DAY.year, LATEST_DAY.year),
    "month": (1, 12), "day": (1, 31), "week": (1, 53), "week_day": (1, 7), "iso_week_day": (1, 7),
    "quarter": (1, 4), "hour": (0, 23), "minute": (0, 59), "second": (0, 59),
}
COMPARISONS = frozenset({"exact", "iexact", "gt", "gte", "lt", "lte"})
LISTS = frozenset({"in", "range"})  # Django splits their value on commas
REFUSED_LOOKUPS = frozenset({"regex", "iregex"})
MAX_DECIMAL_EXPONENT = 100
MAX_SEARCH_WORDS = 100
SEARCH_PARAMETERS = ("q", "term")  # the change list's search, the autocomplete's
_UNSAFE_TEXT = re.compile("[\x00\ud800-\udfff]")


def _unsafe(text) -> bool:
    return isinstance(text, str) and bool(_UNSAFE_TEXT.search(text))


def bad_text(request, view_kwargs=None) -> str | None:
    """Why the request is a bad one, if it is: NUL or a lone surrogate anywhere in the
    query string or the URL's arguments (PostgreSQL refuses them in text and no page
    sends them), or a search with more words than a query can hold."""
    texts = [*(view_kwargs or {}).values()]
    for key, values in request.GET.lists():
        texts += [key, *values]
    if any(_unsafe(text) for text in texts):
        return "NUL or lone surrogate in the request parameters"
    for name in SEARCH_PARAMETERS:
        if any(len(list(smart_split(text))) > MAX_SEARCH_WORDS for text in request.GET.getlist(name)):
            return f"more than {MAX_SEARCH_WORDS} words in a search"
    return None


def bad_request_page(request, reason: str):
    """Django's plain 400 page. Returned, not raised: a raised BadRequest is logged with
    its traceback, and one warning line per refused request is enough."""
    return bad_request(request, BadRequest(reason))


def _field_and_lookups(model, key: str):
    """(field, lookup and transform names) when `key` filters `model` by a field, else None.
    A path ending on a relation stands for the field the relation points at."""
    parts = key.split(LOOKUP_SEP)
    opts, field, used = model._meta, None, 0
    for part in parts:
        if opts is None:
            break
        try:
            field = opts.pk if part == "pk" else opts.get_field(part)
        except FieldDoesNotExist:
            break
        used += 1
        opts = field.related_model._meta if field.is_relation and field.related_model else None
    if field is None:
        return None
    if field.is_relation and field.related_model:
        try:
            field = field.target_field
        except (AttributeError, FieldError):
            field = field.related_model._meta.pk
    return field, parts[used:]


def _kind(field) -> str | None:
    if isinstance(field, models.DateField):  # DateTimeField included
        return "date"
    if isinstance(field, (models.IntegerField, models.AutoField)):
        return "int"
    if isinstance(field, models.DecimalField):
        return "decimal"
    if isinstance(field, models.GenericIPAddressField):
        return "ip"
    if isinstance(field, models.JSONField):
        return "json"
    return None


def _day(text: str):
    try:
        parsed = parse_datetime(text) or parse_date(text)
    except ValueError:
        return None  # well formed but impossible (month 13): Django refuses it itself
    return parsed.date() if isinstance(parsed, datetime.datetime) else parsed


def _value_fits(kind: str, bounds, text: str) -> bool:
    """False when `text` would parse as the lookup expects and still break the query.
    Text that does not parse is Django's to refuse (it redirects with ?e=1)."""
    if kind == "date":
        day = _day(text)
        return day is None or EARLIEST_DAY <= day <= LATEST_DAY
    if kind == "int":
        try:
            number = int(text)
        except ValueError:
            return True
        low, high = bounds or INT64
        return low <= number <= high
    if kind == "decimal":
        try:
            number = Decimal(text)
        except InvalidOperation:
            return True
        return number.is_finite() and abs(number.as_tuple().exponent) <= MAX_DECIMAL_EXPONENT \
            and number.adjusted() <= MAX_DECIMAL_EXPONENT
    if kind == "ip":
        try:
            ipaddress.ip_address(text)
        except ValueError:
            return False
    return True


def lookup_applies(model, key: str, values: list[str]) -> bool:
    """False when `key=values` filters `model` by a field in a way the database or
    Django's date arithmetic would fail on (see the module docstring)."""
    resolved = _field_and_lookups(model, key)
    if resolved is None:
        return True  # not a field: a custom filter's or the change list's own parameter
    field, names = resolved
    kind, bounds, is_list = _kind(field), None, False
    for name in names:
        if name in REFUSED_LOOKUPS or (kind == "json" and name != "isnull"):
            return False
        if kind == "date" and name in DATE_PARTS:
            kind, bounds = "int", DATE_PARTS[name]
        elif kind == "date" and name == "date":
            continue
        elif name in LISTS:
            is_list = True
        elif name not in COMPARISONS:
            kind = None  # isnull, contains, time…: Django validates or the value is plain text
    if kind in (None, "json"):
        return True
    texts = [piece for value in values for piece in (value.split(",") if is_list else [value])]
    return all(_value_fits(kind, bounds, text) for text in texts)


class HotelAgentAdminSite(admin.AdminSite):
    site_header = "hotelagent"
    site_title = "hotelagent"
    index_title = "Back office"
    site_url = None  # no "View site": "/" redirects here (the header links the API reference instead)

    ignored_parameters = frozenset({"all", "o", "p", "q", "e", "_facets", "_popup", "_to_field",
                                    "_changelist_filters"})

    def admin_view(self, view, cacheable=False):
        protected = super().admin_view(view, cacheable)
        model_admin = getattr(view, "__self__", None)
        model_admin = model_admin if isinstance(model_admin, BaseModelAdmin) else None

        @wraps(protected)
        def guarded(request, *args, **kwargs):
            if reason := bad_text(request, kwargs):
                return bad_request_page(request, reason)
            if model_admin is not None and not self.lookups_apply(request, model_admin.model):
                return self.invalid_lookup_redirect(model_admin.model)
            return protected(request, *args, **kwargs)

        return guarded

    def lookups_apply(self, request, model) -> bool:
        return all(
            lookup_applies(model, key, values)
            for key, values in request.GET.lists() if key not in self.ignored_parameters
        )

    def invalid_lookup_redirect(self, model):
        """Where Django's change list sends a lookup it cannot apply. From an export
        too: a redirect to the export itself would drop the filters and export everything."""
        opts = model._meta
        changelist = reverse(f"{self.name}:{opts.app_label}_{opts.model_name}_changelist",
                             current_app=self.name)
        return HttpResponseRedirect(changelist + "?e=1")

    def login(self, request, extra_context=None):
        if reason := bad_text(request):
            return bad_request_page(request, reason)
        return super().login(request, extra_context)

    def index(self, request, extra_context=None):
        """The "Today" dashboard of one of the user's hotels (hotelagent/dashboard.py),
        above Django's list of screens; `?hotel=<slug>` picks another of them."""
        from . import dashboard  # the dashboard reads every app; the site loads before them

        hotels = dashboard.hotels_for(request.user)
        hotel = dashboard.chosen_hotel(hotels, request.GET.get("hotel"))
        context = {"hotels": hotels}
        if hotel is not None:
            context.update(dashboard.dashboard_for(tenant=hotel))
            context["title"] = _("Back office — Today at %(hotel)s") % {"hotel": hotel.name}
        return super().index(request, {**context, **(extra_context or {})})

    def get_urls(self):
        scoped = path("r/<path:content_type_id>/<path:object_id>/", self.admin_view(self.view_on_site),
                      name="view_on_site")
        return [scoped if getattr(url, "name", None) == "view_on_site" else url for url in super().get_urls()]

    def view_on_site(self, request, content_type_id, object_id):
        """Django's shortcut for the rows the user may view on a screen of this site;
        any other row, another hotel's included, is the same 404 as a missing one."""
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        missing = Http404(_("Content type %(ct_id)s object %(obj_id)s doesn’t exist")
                          % {"ct_id": content_type_id, "obj_id": object_id})
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except (ContentType.DoesNotExist, ValueError):
            raise missing from None
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            raise missing
        obj = model_admin.get_object(request, unquote(object_id))
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise missing
        return shortcut(request, content_type_id, obj.pk)


class HotelAgentAdminConfig(AdminConfig):
    default_site = "hotelagent.admin_site.HotelAgentAdminSite"
