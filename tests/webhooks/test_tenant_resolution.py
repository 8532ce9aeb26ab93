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


def test_a_known_number_is_answered_in_the_process_whoever_the_sender(tenant, django_assert_num_queries):
    """Every new guest used to miss the cache (its key held the sender)."""
    ChannelAccountFactory(tenant=tenant, external_id="888")
    resolve_tenant("whatsapp", "888", sender_phone="+34600000001")

    with django_assert_num_queries(0):
        for n in range(2, 50):
            resolved = resolve_tenant("whatsapp", "888", sender_phone=f"+346000000{n:02d}")
            assert resolved.tenant_slug == tenant.slug


def test_another_process_s_change_is_seen_within_the_check_interval(tenant, other_tenant, monkeypatch):
    from webhooks import resolution
    account = ChannelAccountFactory(tenant=tenant, external_id="999")
    assert resolve_tenant("whatsapp", "999").tenant_slug == tenant.slug
    with scopes_disabled():  # another process moves the number: only the shared generation changes here
        type(account).objects.filter(pk=account.pk).update(tenant=other_tenant)
    resolution.cache.incr(resolution.GENERATION_KEY)

    assert resolve_tenant("whatsapp", "999").tenant_slug == tenant.slug  # within the interval: kept
    monkeypatch.setattr(resolution, "LOCAL_CHECK_SECONDS", 0.0)
    assert resolve_tenant("whatsapp", "999").tenant_slug == other_tenant.slug


def test_a_delivery_from_a_new_guest_reads_no_routing_row(meta, hotel_sol, no_processing,
                                                          django_assert_max_num_queries):
    """Routing is answered in the process: storing the message is the delivery's
    only database work, one INSERT (test_intake_statements.py counts it in autocommit)."""
    def delivery(wamid, sender):
        message = payloads.text(wamid, "hola", sender=sender)
        return payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, sender=sender, messages=[message]))

    assert payloads.post(meta, delivery("wamid.a", "34600000001")).status_code == 200
    new_guest = delivery("wamid.b", "34600000002")

    with django_assert_max_num_queries(2) as captured:
        assert payloads.post(meta, new_guest).status_code == 200

    assert [query["sql"] for query in captured.captured_queries if "tenants_" in query["sql"]] == []
