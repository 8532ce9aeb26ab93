"""No URL parameter makes the back office answer 500.

Every screen registered on the admin site, present and future, gets the same
hostile query strings at its change list (its filters, the search, its date
drill-down, ordering and paging, lookups on its fields), at its other GET pages
(the audit CSV export) and at the autocomplete, as a superuser and as hotel
staff. On PostgreSQL (CI sets DATABASE_URL) NUL in text is a DataError there;
out-of-range dates fail in Django's own date hierarchy on both databases.
"""
import datetime
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from django_scopes import scopes_disabled

from reservations.models import PendingBooking
from security import audit
from security.api_keys import api_key_create
from security.models import AuditEvent
from security.secret_store import WEBHOOK_SECRET, secret_create
from tests.factories import (
    BlacklistEntryFactory,
    ChannelAccountFactory,
    OutboundMessageFactory,
    RoomTypeFactory,
    UserFactory,
)

from .pages import admin_url

pytestmark = pytest.mark.django_db

SCREENS = list(admin.site._registry)
HUGE = "99999999999999999999"
INVALID_UTF8 = "%ED%A0%80"  # a surrogate's UTF-8 bytes: decoded, the replacement character

# Each value a list filter's parameters get; strings are URL-encoded, bytes sent as they are.
FILTER_VALUES = ["\x00", "9999-12-31", "0000-01-01", HUGE]
CHANGE_LIST_QUERIES = [
    "q=%00", f"q={INVALID_UTF8}", "q=" + "word+" * 300, "%00=1", "_to_field=%00",
    "o=999", "o=1.999.-0", "o=%00", f"p={HUGE}", "p=-1", f"all=&p={HUGE}", f"_facets=1&p={HUGE}",
]
DRILL_DOWNS = [
    "{f}__year=9999", f"{{f}}__year={HUGE}", "{f}__year=0", "{f}__year=-1", "{f}__year=2026&{f}__month=13",
    "{f}__year=2026&{f}__month=12&{f}__day=-1", "{f}__year=2026&{f}__month=2&{f}__day=31",
    "{f}__year=9999&{f}__month=12", "{f}__year=9999&{f}__month=12&{f}__day=31", "{f}__month=13",
    "{f}__day=-1", "{f}__gte=9999-12-31", "{f}__lt=0000-01-01", "_facets=1&{f}__year=9999",
]
DATE_LOOKUPS = [
    "{f}__gte=9999-12-31", "{f}__lt=0001-01-01", f"{{f}}__year={HUGE}", "{f}__year__gte=9999",
    "{f}__range=0001-01-01,9999-12-31", "{f}__date=9999-12-31", "{f}__iso_year=9999", "{f}__week=99",
]
NUMBER_LOOKUPS = [f"{{f}}={HUGE}", f"{{f}}__in=1,{HUGE}", f"{{f}}__range=1,{HUGE}", "{f}=1e999999"]
TEXT_LOOKUPS = ["{f}__regex=(", "{f}__gt=%00"]
JSON_LOOKUPS = ["{f}__contains=x", "{f}__has_key=%00", "{f}__a__b=1"]
AUTOCOMPLETE_TERMS = ["%00", "a%00b", INVALID_UTF8, "word+" * 300]


def encoded(name: str, value) -> str:
    return f"{name}={value.decode()}" if isinstance(value, bytes) else urlencode({name: value})


def filter_parameters(model_admin, superuser) -> list[str]:
    """What the change list's filters read from the query string, asked of the filters themselves."""
    request = RequestFactory().get("/")
    request.user = superuser
    with scopes_disabled():
        changelist = model_admin.get_changelist_instance(request)
    return [name for spec in changelist.filter_specs for name in spec.expected_parameters()]


def lookups_for(field) -> list[str]:
    if isinstance(field, models.DateField):
        return DATE_LOOKUPS
    if isinstance(field, (models.IntegerField, models.AutoField, models.DecimalField, models.FloatField,
                          models.ForeignKey)):
        return NUMBER_LOOKUPS
    if isinstance(field, models.JSONField):
        return JSON_LOOKUPS
    if isinstance(field, (models.CharField, models.TextField, models.GenericIPAddressField)):
        return TEXT_LOOKUPS
    return []


def field_lookups(model) -> list[str]:
    """Lookups on the model's own fields, which Django accepts from the query string."""
    return [query.replace("{f}", field.attname)
            for field in model._meta.concrete_fields for query in lookups_for(field)]


def screen_parameters(model_admin, superuser) -> list[str]:
    """Hostile values for what the screen itself reads: filters, search, order, page, drill-down."""
    queries = [encoded(name, value) for name in filter_parameters(model_admin, superuser)
               for value in FILTER_VALUES]
    queries += CHANGE_LIST_QUERIES
    if model_admin.date_hierarchy:
        queries += [query.replace("{f}", model_admin.date_hierarchy) for query in DRILL_DOWNS]
    return queries


def extra_get_pages(model_admin) -> list[str]:
    """The screen's own pages without an object in their URL, such as CSV exports."""
    standard = ("_changelist", "_add")
    return [
        reverse(f"admin:{pattern.name}") for pattern in model_admin.get_urls()
        if pattern.name and not pattern.name.endswith(standard) and "<" not in str(pattern.pattern)
    ]


def autocompletes() -> list[tuple]:
    """(searched model, model and field that autocomplete it) for every screen with a search."""
    found = {}
    for source in apps.get_models():
        for field in source._meta.get_fields():
            target = field.related_model if field.is_relation and field.concrete else None
            if target in admin.site._registry and admin.site._registry[target].search_fields:
                found.setdefault(target, (source, field.name))
    return [(target, *source_field) for target, source_field in found.items()]


def status_of(client, url: str) -> int:
    """The status a browser would see, reading a streamed answer (an export) to the end."""
    client.raise_request_exception = False
    response = client.get(url)
    if response.streaming:
        try:
            b"".join(response.streaming_content)
        except Exception:  # noqa: BLE001 - a stream that breaks half-way is the 500 we look for
            return 500
    return response.status_code


def server_errors(client, url: str, queries) -> list[tuple[str, int]]:
    answers = [(query, status_of(client, f"{url}?{query}")) for query in queries]
    return [(query, status) for query, status in answers if status >= 500]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(_fast_passwords, manager, staff_member):
    """A superuser, and the hotel's members from the least to the most trusted."""
    return UserFactory(is_superuser=True), [staff_member, manager]


def first_member_who_opens(client, page: str, members):
    """Hotel staff where staff may look, the manager on the screens only managers see."""
    for member in members:
        client.force_login(member)
        if client.get(page).status_code != 403:
            return member
    return None


@pytest.fixture
def a_row_of_each(tenant, book):
    RoomTypeFactory(tenant=tenant, code="standard", inventory_days=14)  # a short page of nights
    book(tenant)
    api_key_create(tenant=tenant, name="pms")
    audit.record(audit.Type.CONFIGURATION, tenant=tenant, actor="user:1")
    BlacklistEntryFactory(tenant=tenant)
    ChannelAccountFactory(tenant=tenant)
    OutboundMessageFactory(inbound__conversation__tenant=tenant)
    secret_create(WEBHOOK_SECRET, tenant)
    with scopes_disabled():
        PendingBooking.objects.create(
            tenant=tenant, client_reference="pending-1", source="whatsapp", request={"room_type": "standard"}
        )


@pytest.mark.parametrize("model", SCREENS, ids=lambda model: model._meta.label)
def test_no_parameter_makes_a_screen_or_its_export_fail(client, people, model, a_row_of_each):
    superuser, members = people
    model_admin = admin.site._registry[model]
    queries = screen_parameters(model_admin, superuser)

    for page in [admin_url(model, "changelist"), *extra_get_pages(model_admin)]:
        # Lookups on any field take the same path whoever asks: the superuser, who sees every row, tries them.
        client.force_login(superuser)
        assert server_errors(client, page, queries + field_lookups(model)) == [], page
        if first_member_who_opens(client, page, members):
            assert server_errors(client, page, queries) == [], page


@pytest.mark.parametrize(("target", "source", "field_name"), autocompletes(),
                         ids=lambda value: getattr(getattr(value, "_meta", None), "label", str(value)))
def test_no_parameter_makes_the_autocomplete_fail(client, people, target, source, field_name, a_row_of_each):
    which = urlencode({"app_label": source._meta.app_label, "model_name": source._meta.model_name,
                       "field_name": field_name})
    queries = [f"{which}&term={term}" for term in AUTOCOMPLETE_TERMS]
    queries += [f"{which}&term=a&page={page}" for page in (HUGE, "-1", "%00")]
    queries += ["app_label=%00&model_name=%00&field_name=%00&term=a", f"{which}&term=a&%00=1"]

    superuser, members = people
    for user in [superuser, *members]:
        client.force_login(user)
        assert server_errors(client, reverse("admin:autocomplete"), queries) == [], user


def test_every_screen_and_every_autocomplete_is_covered():
    assert len(SCREENS) >= 15
    assert {target._meta.label for target, *_ in autocompletes()} >= {
        "tenants.Tenant", "reservations.RoomType", "auth.User"}
    assert reverse("admin:security_auditevent_export") in extra_get_pages(admin.site._registry[AuditEvent])


# What the answers are, beyond "not a 500".

def test_nul_in_a_filter_is_a_bad_request(as_staff):
    response = as_staff.get(admin_url(PendingBooking, "changelist") + "?status__exact=%00")

    assert response.status_code == 400
    assert b"Bad Request" in response.content


def test_nul_in_the_search_is_a_bad_request(as_superuser):
    assert as_superuser.get(admin_url(AuditEvent, "changelist") + "?q=%00").status_code == 400


def test_a_search_of_hundreds_of_words_is_a_bad_request(as_superuser):
    assert as_superuser.get(admin_url(AuditEvent, "changelist") + "?q=" + "word+" * 300).status_code == 400


def test_nul_in_the_autocomplete_is_a_bad_request(as_superuser):
    query = "app_label=reservations&model_name=reservation&field_name=tenant&term=%00"

    assert as_superuser.get(reverse("admin:autocomplete") + "?" + query).status_code == 400


def test_nul_on_the_sign_in_page_is_a_bad_request(client, db):
    assert client.get(reverse("admin:login") + "?next=%00").status_code == 400


@pytest.mark.parametrize("query", [
    "check_in__year=9999", f"check_in__year={HUGE}", "check_in__year=2026&check_in__month=13",
    "check_in__year=2026&check_in__month=1&check_in__day=-1", "check_in__gte=9999-12-31",
])
def test_a_date_out_of_range_redirects_like_any_lookup_the_list_cannot_apply(as_superuser, query):
    from reservations.models import Reservation

    response = as_superuser.get(admin_url(Reservation, "changelist") + "?" + query)

    assert response.status_code == 302
    assert response["Location"] == admin_url(Reservation, "changelist") + "?e=1"


def test_a_date_drill_down_in_range_still_filters(as_superuser, tenant, standard, book):
    from reservations.models import Reservation

    reservation = book(tenant)
    year, month = reservation.check_in.year, reservation.check_in.month
    response = as_superuser.get(
        admin_url(Reservation, "changelist") + f"?check_in__year={year}&check_in__month={month}"
    )

    assert response.status_code == 200
    assert reservation.code in response.content.decode()


def test_audit_events_up_to_9999_12_31_are_every_event(as_superuser, tenant):
    audit.record(audit.Type.CONFIGURATION, tenant=tenant, actor="user:1", action="counted")
    response = as_superuser.get(admin_url(AuditEvent, "changelist") + "?created_to=9999-12-31")

    assert response.status_code == 200
    assert "counted" in response.content.decode()


def test_audit_events_from_a_date_that_does_not_exist_redirect(as_superuser):
    response = as_superuser.get(admin_url(AuditEvent, "changelist") + "?created_from=0000-01-01")

    assert response["Location"].endswith("?e=1")


def test_an_export_with_a_date_out_of_range_goes_back_to_the_list_instead_of_exporting_everything(
    as_superuser,
):
    response = as_superuser.get(reverse("admin:security_auditevent_export") + f"?created_at__year={HUGE}")

    assert response.status_code == 302
    assert response["Location"] == admin_url(AuditEvent, "changelist") + "?e=1"


def test_an_export_up_to_9999_12_31_exports_the_events(as_superuser, tenant):
    audit.record(audit.Type.CONFIGURATION, tenant=tenant, actor="user:1", action="exported")
    response = as_superuser.get(reverse("admin:security_auditevent_export") + "?created_to=9999-12-31")

    assert "exported" in b"".join(response.streaming_content).decode()


def test_the_filters_last_day_is_included(as_superuser, tenant):
    audit.record(audit.Type.CONFIGURATION, tenant=tenant, actor="user:1", action="today")
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    query = f"?created_from={today}&created_to={today}"
    response = as_superuser.get(admin_url(AuditEvent, "changelist") + query)

    assert "today" in response.content.decode()
