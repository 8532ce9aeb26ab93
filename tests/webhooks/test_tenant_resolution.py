import pytest
from django_scopes import scopes_disabled

from tests.factories import ChannelAccountFactory, TenantFactory
from webhooks.gateway import MessageGateway, phone_from_sender
from webhooks.resolution import resolve_tenant

from . import payloads

pytestmark = pytest.mark.django_db


def test_resolution_follows_a_channel_account_moved_to_another_hotel(tenant, other_tenant):
    account = ChannelAccountFactory(tenant=tenant, external_id="555")
    assert resolve_tenant("whatsapp", "555").tenant_slug == tenant.slug

    with scopes_disabled():
        account.tenant = other_tenant
        account.save()

    assert resolve_tenant("whatsapp", "555").tenant_slug == other_tenant.slug


def test_resolution_is_cached(tenant, django_assert_num_queries):
    ChannelAccountFactory(tenant=tenant, external_id="777")
    resolve_tenant("whatsapp", "777")

    with django_assert_num_queries(0):
        assert resolve_tenant("whatsapp", "777").tenant_slug == tenant.slug


def test_normalize_gives_unified_messages(tenant):
    ChannelAccountFactory(tenant=tenant, external_id=payloads.SOL_NUMBER_ID)
    delivery = payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
        payloads.text("wamid.n", "  Hola <b>equipo</b>  ", timestamp=1767225600),
    ]))

    [message] = MessageGateway.normalize("whatsapp", delivery)

    assert message.tenant_slug == tenant.slug
    assert message.text == "Hola equipo"
    assert message.timestamp.isoformat() == "2026-01-01T00:00:00+00:00"
    assert message.sender_phone == "+34612345678"


@pytest.mark.parametrize("sender, phone", [
    ("34612345678", "+34612345678"),
    ("447700900123", ""),  # Ofcom's drama range: digits, but not a valid number
    ("12025550143", "+12025550143"),
    ("BSUID.abc", ""),
    ("123", ""),
])
def test_phone_is_derived_only_from_real_numbers(sender, phone):
    assert phone_from_sender(sender) == phone


def test_another_tenants_registered_guest_does_not_capture_a_known_number(tenant, other_tenant):
    from tenants.models import GuestIdentifier

    ChannelAccountFactory(tenant=tenant, external_id="888")
    with scopes_disabled():
        GuestIdentifier.objects.create(tenant=other_tenant, kind="phone", value="+34612345678")

    assert resolve_tenant("whatsapp", "888", sender_phone="+34612345678").tenant_slug == tenant.slug
    assert TenantFactory._meta.model.objects.filter(slug="default").exists()
