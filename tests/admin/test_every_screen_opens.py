import pytest
from django.contrib import admin
from django_scopes import scopes_disabled

from reservations.models import GuestRating, PendingBooking
from reservations.services.late_checkout import late_checkout_request_create
from security import audit
from security.api_keys import api_key_create
from security.secret_store import WEBHOOK_SECRET, secret_create
from tenants.models import FAQEntry
from tests.factories import BlacklistEntryFactory, ChannelAccountFactory
from tests.scaling.factories import ScalingDecisionFactory

from .pages import admin_url

pytestmark = pytest.mark.django_db

OURS = [
    model for model in admin.site._registry
    if model._meta.app_label in ("tenants", "reservations", "security", "hotelagent")
]


@pytest.fixture
def a_row_of_each(tenant, standard, book, manager):
    book(tenant)
    api_key_create(tenant=tenant, name="pms")
    audit.record(audit.Type.CONFIGURATION, tenant=tenant, actor="user:1")
    BlacklistEntryFactory(tenant=tenant)
    ChannelAccountFactory(tenant=tenant)
    secret_create(WEBHOOK_SECRET, tenant)
    ScalingDecisionFactory()
    with scopes_disabled():
        PendingBooking.objects.create(
            tenant=tenant, client_reference="pending-1", source="whatsapp", request={"room_type": "standard"}
        )
        GuestRating.objects.create(tenant=tenant, score=5, comment="Lovely stay")
        FAQEntry.objects.create(tenant=tenant, topic="wifi", language="en", questions="wifi?", answer="Free")
        late_checkout_request_create(reservation=book(tenant), requested_until=None, actor="guest:1")


@pytest.mark.parametrize("model", OURS, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("who", ["as_superuser", "as_manager", "as_staff"])
def test_list_add_and_change_pages_open(request, who, model, a_row_of_each):
    with scopes_disabled():
        row = model._default_manager.order_by("-pk").first()  # not the migration's Default hotel
    client = request.getfixturevalue(who)  # after: signing in adds a global audit event

    assert client.get(admin_url(model, "changelist")).status_code in (200, 403)
    assert client.get(admin_url(model, "add")).status_code in (200, 403)
    assert client.get(admin_url(model, "change", row.pk)).status_code in (200, 403)
