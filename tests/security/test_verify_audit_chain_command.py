from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from security import audit
from security.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(tenant, other_tenant):
    """Five events of Hotel Sol, two of Harbor Inn and one of no hotel."""
    ours = [audit.record(audit.Type.DATA_MODIFICATION, tenant=tenant, action=f"step-{n}", actor="user:1",
                         details={"n": n}) for n in range(1, 6)]
    audit.record(audit.Type.CONFIGURATION, tenant=other_tenant)
    audit.record(audit.Type.CONFIGURATION, tenant=other_tenant)
    audit.record(audit.Type.AUTH_FAILURE, actor="anonymous")
    return ours


def verify(*args) -> str:
    out = StringIO()
    call_command("verify_audit_chain", *args, stdout=out)
    return out.getvalue()


def test_an_untouched_trail_verifies_with_a_summary(trail, tenant):
    output = verify()

    assert f"tenant:{tenant.pk}: 5 events" in output
    assert "3 chains, 8 events: all verify." in output


def test_an_edited_event_is_named(trail, tamper):
    with tamper() as rows:
        rows.filter(pk=trail[2].pk).update(actor="user:2")

    with pytest.raises(CommandError, match=rf"event {trail[2].pk} \(chain tenant:\d+, sequence 3\) changed"):
        verify()


def test_an_edited_hash_is_named(trail, tamper):
    with tamper() as rows:
        rows.filter(pk=trail[1].pk).update(hash="f" * 64)

    with pytest.raises(CommandError, match=rf"event {trail[1].pk} .*sequence 2\) changed"):
        verify()


def test_a_removed_event_is_named_by_the_gap_it_leaves(trail, tamper):
    with tamper() as rows:
        rows.filter(pk=trail[2].pk).delete()

    gap = rf"event {trail[3].pk} .*sequence 4\) removed: sequence 3 is missing"
    with pytest.raises(CommandError, match=gap):
        verify()


def test_two_events_swapping_content_are_reported_reordered(trail, tamper):
    second, third = trail[1], trail[2]
    content = ("event_type", "action", "actor", "ip_address", "resource", "details", "created_at")
    with tamper() as rows:
        rows.filter(pk=second.pk).update(**{field: getattr(third, field) for field in content})
        rows.filter(pk=third.pk).update(**{field: getattr(second, field) for field in content})

    moved = rf"event {second.pk} .*reordered: its content was written as sequence 3"
    with pytest.raises(CommandError, match=moved):
        verify()


def test_an_event_slipped_in_without_the_chain_is_named(trail, tenant, tamper):
    with tamper():
        forged = AuditEvent.objects.create(tenant=tenant, event_type="AUTH_SUCCESS", actor="user:1")

    with pytest.raises(CommandError, match=rf"event {forged.pk} .*unchained"):
        verify()


def test_one_hotels_chain_is_verified_alone(trail, tamper, other_tenant):
    with tamper() as rows:
        rows.filter(pk=trail[0].pk).update(action="edited")

    output = verify("--tenant", other_tenant.slug)

    assert "1 chain, 2 events: all verify." in output
    with pytest.raises(CommandError, match="broken"):
        verify("--tenant", "hotel-sol")


def test_an_unknown_hotel_is_an_error(db):
    with pytest.raises(CommandError, match="No hotel"):
        verify("--tenant", "nowhere")
