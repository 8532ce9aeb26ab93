"""Hotel Sol's manager and staff never read or change Harbor Inn's rows in the
back office, on any screen.

The screens are not listed by hand: every ModelAdmin registered on the admin
site is tried, with every URL it serves for one object, every action it offers,
every autocomplete field and the choices of every form, so a screen added later
is covered the day it is registered (and fails here until Harbor Inn has a row
of it to try)."""
import csv
import io

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from django_scopes import scopes_disabled

from hotelagent.models import ScalingDecision
from reservations.models import GuestRating, PendingBooking
from reservations.services import reservation_create
from reservations.services.late_checkout import late_checkout_request_create
from security.api_keys import api_key_create
from security.models import AuditEvent
from security.secret_store import WEBHOOK_SECRET, secret_create
from tenants.admin_scoping import TenantScopedAdmin
from tenants.models import FAQEntry, Tenant, TenantMembership
from tests.factories import (
    BlacklistEntryFactory,
    ChannelAccountFactory,
    InboundMessageFactory,
    MembershipFactory,
    OutboundMessageFactory,
    RoomTypeFactory,
    stay,
)
from tests.scaling.factories import ScalingDecisionFactory
from webhooks.models import CannedReply, GuestOptOut, MessageTemplate

pytestmark = pytest.mark.django_db

REGISTRY = admin.site._registry
SCOPED = [model for model, model_admin in REGISTRY.items() if isinstance(model_admin, TenantScopedAdmin)]
UNSCOPED = [model for model in REGISTRY if model not in SCOPED]
AUTOCOMPLETE_FIELDS = [
    (model, field) for model in SCOPED for field in REGISTRY[model].autocomplete_fields
]
ROLES = ["manager", "staff"]
HARBOR = "harbor"  # in every name, email and text of Harbor Inn's rows; never on Sol's pages
EXPORT = reverse("admin:security_auditevent_export")


def label(value) -> str:
    return value._meta.label if hasattr(value, "_meta") else str(value)


def a_row_of_everything(hotel, marker: str, phone: str):
    """What a working hotel has: a room type with its nights, a reservation, a key,
    a blacklisted guest, a channel, a member, a secret, a conversation with a failed
    message and reply, and the audit events all of those wrote."""
    room_type = RoomTypeFactory(tenant=hotel, code=f"{marker}-view", name=f"{marker.title()} View")
    check_in, check_out = stay(tenant=hotel)
    reservation = reservation_create(
        tenant=hotel, room_type=room_type.code, check_in=check_in, check_out=check_out, guests=2,
        guest_name=f"{marker.title()} Guest", guest_email=f"{marker}.guest@example.com", guest_phone=phone,
        source="api",
    )
    api_key_create(tenant=hotel, name=f"{marker} key")
    BlacklistEntryFactory(tenant=hotel, email=f"{marker}.banned@example.com", reason=f"{marker} noise")
    ChannelAccountFactory(tenant=hotel, display_address=f"{marker} desk")
    MembershipFactory(tenant=hotel, role=TenantMembership.Role.MANAGER, user__username=f"{marker}-manager")
    secret_create(WEBHOOK_SECRET, hotel)
    question = InboundMessageFactory(
        conversation__tenant=hotel, conversation__guest_name=f"{marker.title()} Guest",
        conversation__needs_staff=True, status="failed", text=f"{marker} question",
    )
    OutboundMessageFactory(inbound=question, status="failed", text=f"{marker} reply")
    with scopes_disabled():
        PendingBooking.objects.create(
            tenant=hotel, client_reference=f"{marker}-pending", source="whatsapp",
            request={"guest_name": f"{marker.title()} Guest", "room_type": room_type.code},
        )
        GuestRating.objects.create(tenant=hotel, reservation=reservation, score=4, comment=f"{marker} stay")
        FAQEntry.objects.create(tenant=hotel, topic="parking", language="en", questions=f"{marker} parking?",
                                answer=f"{marker} garage")
        CannedReply.objects.create(tenant=hotel, language="en", title=f"{marker} pets",
                                   text=f"{marker} allows pets")
        MessageTemplate.objects.create(tenant=hotel, purpose="pre_arrival", name=f"{marker}_arrival",
                                       language="en", parameters=["guest_name"])
        GuestOptOut.objects.create(tenant=hotel, channel="whatsapp", guest_id=f"{marker}-optout",
                                   text=f"{marker} stop")
    late_checkout_request_create(reservation=reservation, requested_until=None, actor="guest:1",
                                 note=f"{marker} late")
    return reservation


@pytest.fixture
def hotels(tenant, other_tenant, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WHATSAPP_API_BASE_URL = "http://127.0.0.1:9"  # a leaked retry must not leave the machine
    with scopes_disabled():
        Tenant.objects.filter(pk=other_tenant.pk).update(name="Harbor Inn")
    return a_row_of_everything(tenant, "sol", "+34612345678"), a_row_of_everything(
        other_tenant, HARBOR, "+12125550123"
    )


@pytest.fixture(params=ROLES)
def signed_in(request, client, tenant, hotels):
    """Sol's manager, then Sol's staff member, signed in."""
    role = {"manager": TenantMembership.Role.MANAGER, "staff": TenantMembership.Role.STAFF}[request.param]
    client.force_login(MembershipFactory(tenant=tenant, role=role).user)
    return client


@pytest.fixture
def as_manager(client, tenant, hotels):
    client.force_login(MembershipFactory(tenant=tenant, role=TenantMembership.Role.MANAGER).user)
    return client


def rows_of(model, hotel):
    model_admin = REGISTRY[model]
    with scopes_disabled():
        if model is Tenant:
            return list(Tenant.objects.filter(pk=hotel.pk))
        return list(model._default_manager.filter(**{model_admin.tenant_field: hotel}).order_by("pk"))


def theirs(model, other_tenant):
    rows = rows_of(model, other_tenant)
    assert rows, f"Harbor Inn has no {label(model)}: add one to a_row_of_everything so its screen is tried"
    return rows[0]


def snapshot(hotel) -> dict:
    """Every column of every row the hotel owns on every screen, audit events included."""
    with scopes_disabled():
        return {
            (label(model), row.pk): [getattr(row, field.attname) for field in model._meta.concrete_fields]
            for model in SCOPED for row in rows_of(model, hotel)
        }


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def object_urls(model, pk) -> list[str]:
    """Every URL the model's admin serves for one object: change, history, delete,
    and its own (cancel, release...)."""
    model_admin = REGISTRY[model]
    urls = []
    for pattern in model_admin.get_urls():
        if "object_id" not in str(pattern.pattern):
            continue
        if pattern.name:
            urls.append(reverse(f"admin:{pattern.name}", args=[pk]))
        else:  # the bare "<id>/" that redirects to the change page
            urls.append(url(model, "changelist") + f"{pk}/")
    return urls


def assert_nothing_of_harbor(response):
    page = response.content.decode() if not response.streaming else ""
    assert HARBOR not in page.lower()


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_change_lists_show_none_of_the_other_hotels_rows(signed_in, tenant, model):
    model_admin = REGISTRY[model]

    response = signed_in.get(url(model, "changelist"))

    if response.status_code == 403:  # a screen this role does not see at all
        return
    assert response.status_code == 200
    with scopes_disabled():
        shown = list(response.context["cl"].result_list)
        assert {model_admin.tenant_id_of(row) for row in shown} <= {tenant.pk}
    assert_nothing_of_harbor(response)
    if model_admin.search_fields:
        searched = signed_in.get(url(model, "changelist"), {"q": HARBOR})
        assert list(searched.context["cl"].result_list) == []


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_the_other_hotels_rows_do_not_open_or_change_by_url(signed_in, other_tenant, model):
    row = theirs(model, other_tenant)
    before = snapshot(other_tenant)

    for address in object_urls(model, row.pk):
        for response in (signed_in.get(address), signed_in.post(address, {"post": "yes"})):
            assert response.status_code in (302, 403, 404, 405), address
            if response.status_code == 302:
                assert response.url in ("/admin/", url(model, "change", row.pk)), address
            assert_nothing_of_harbor(response)

    assert snapshot(other_tenant) == before


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_actions_on_the_other_hotels_rows_change_nothing(signed_in, other_tenant, model):
    row = theirs(model, other_tenant)
    actions = {name for name, _function in admin.site.actions} | set(REGISTRY[model].actions or ())
    before = snapshot(other_tenant)

    for action in sorted(actions):
        response = signed_in.post(url(model, "changelist"), {
            "action": action, "_selected_action": [row.pk], "index": 0, "post": "yes",
        })
        assert response.status_code in (200, 302, 403), action
        assert_nothing_of_harbor(response)

    assert snapshot(other_tenant) == before


# django-celery-beat's screens: the product's schedule (superusers only).
SCHEDULE_ROWS = {
    PeriodicTask: lambda: PeriodicTask.objects.first(),
    IntervalSchedule: lambda: IntervalSchedule.objects.first(),
    CrontabSchedule: lambda: CrontabSchedule.objects.create(),
    SolarSchedule: lambda: SolarSchedule.objects.create(event="sunrise", latitude=40.4, longitude=-3.7),
    ClockedSchedule: lambda: ClockedSchedule.objects.create(clocked_time=timezone.now()),
}


@pytest.mark.parametrize("model", UNSCOPED, ids=label)
def test_screens_of_no_hotel_are_closed_to_hotel_members(signed_in, other_tenant, model):
    harbor_manager = get_user_model().objects.get(username=f"{HARBOR}-manager")
    rows = {get_user_model(): lambda: harbor_manager, ScalingDecision: ScalingDecisionFactory,
            **SCHEDULE_ROWS}
    row = rows.get(model, lambda: model._default_manager.create(name="Harbor"))()

    assert signed_in.get(url(model, "changelist")).status_code == 403
    for address in object_urls(model, row.pk):
        assert signed_in.get(address).status_code in (302, 403), address


@pytest.mark.parametrize(("model", "field"), AUTOCOMPLETE_FIELDS,
                         ids=[f"{label(model)}.{field}" for model, field in AUTOCOMPLETE_FIELDS])
def test_autocomplete_offers_only_their_hotels_choices(signed_in, tenant, model, field):
    related = model._meta.get_field(field).related_model
    query = {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field}

    everything = signed_in.get("/admin/autocomplete/", {**query, "term": ""})
    searched = signed_in.get("/admin/autocomplete/", {**query, "term": HARBOR})

    assert everything.status_code == 200
    with scopes_disabled():
        offered = [related._default_manager.get(pk=result["id"]) for result in everything.json()["results"]]
    assert offered and all(belongs_to(choice, tenant) for choice in offered)
    assert searched.json()["results"] == []


def belongs_to(choice, hotel) -> bool:
    if isinstance(choice, Tenant):
        return choice == hotel
    if isinstance(choice, get_user_model()):
        return TenantMembership.objects.with_scope(tenant=hotel).filter(user=choice).exists()
    return REGISTRY[type(choice)].tenant_id_of(choice) == hotel.pk


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_add_and_change_forms_offer_only_their_hotels_choices(as_manager, tenant, model):
    pages = [url(model, "add"), url(model, "change", rows_of(model, tenant)[0].pk)]

    for address in pages:
        response = as_manager.get(address)
        if response.status_code != 200 or "adminform" not in response.context:
            continue
        form = response.context["adminform"].form
        with scopes_disabled():
            for name, form_field in form.fields.items():
                if isinstance(form_field, forms.ModelChoiceField):
                    assert all(belongs_to(choice, tenant) for choice in form_field.queryset), (address, name)
        assert_nothing_of_harbor(response)


@pytest.mark.parametrize("params", [
    {},
    {"q": HARBOR},
    {"tenant__id__exact": "{harbor}"},
    {"tenant__slug": "harbor-inn"},
    {"tenant": "{harbor}"},
    {"chain": "tenant:{harbor}"},
    {"event_type__exact": "DATA_MODIFICATION", "tenant__id__exact": "{harbor}"},
], ids=lambda params: "&".join(params) or "everything")
def test_the_audit_export_holds_only_their_hotels_events(as_manager, tenant, other_tenant, params):
    query = {name: value.format(harbor=other_tenant.pk) for name, value in params.items()}

    response = as_manager.get(EXPORT, query)

    if response.status_code in (302, 400):  # a lookup the change list refuses, as its own page does
        assert response.status_code == 400 or "e=1" in response.url
        return
    assert response.status_code == 200
    lines = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {line["tenant"] for line in lines} <= {tenant.slug}
    assert HARBOR not in "".join(str(line) for line in lines).lower()
    if not params:  # the hotel's own trail is there in full
        assert len(lines) == AuditEvent.objects.with_scope(tenant=tenant).count()


def test_index_pages_name_nothing_of_the_other_hotel(signed_in):
    apps = {model._meta.app_label for model in SCOPED}

    for address in ["/admin/", *(reverse("admin:app_list", args=[app]) for app in sorted(apps))]:
        response = signed_in.get(address)
        assert response.status_code == 200, address
        assert_nothing_of_harbor(response)
