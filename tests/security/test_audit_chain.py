import datetime
import hashlib
from decimal import Decimal

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from security import audit
from security.chain import GENESIS, canonical, compute_hash, verify_chain
from security.models import AuditEvent

pytestmark = pytest.mark.django_db


def stored(event) -> AuditEvent:
    with scopes_disabled():
        return AuditEvent.objects.get(pk=event.pk)


def test_a_hotels_first_event_starts_its_chain(tenant):
    event = audit.record(audit.Type.CONFIGURATION, tenant=tenant, action="first")

    assert (event.chain, event.sequence, event.prev_hash) == (f"tenant:{tenant.pk}", 1, GENESIS)


def test_each_event_links_to_the_one_before(tenant):
    first = audit.record(audit.Type.CONFIGURATION, tenant=tenant)
    second = audit.record(audit.Type.CONFIGURATION, tenant=tenant)

    assert (second.sequence, second.prev_hash) == (2, first.hash)


def test_the_hash_covers_the_previous_hash_and_the_canonical_event(tenant):
    event = audit.record(audit.Type.DATA_ACCESS, tenant=tenant, action="read", actor="user:1",
                         ip_address="203.0.113.9", resource="reservation:HA-1", details={"b": 1, "a": 2})

    expected = hashlib.sha256((GENESIS + canonical(event)).encode()).hexdigest()
    assert event.hash == expected
    assert canonical(event).startswith('{"action":"read","actor":"user:1","chain":"tenant:')


def test_hotels_and_events_of_no_hotel_have_separate_chains(tenant, other_tenant):
    ours = audit.record(audit.Type.CONFIGURATION, tenant=tenant)
    theirs = audit.record(audit.Type.CONFIGURATION, tenant=other_tenant)
    nobodys = audit.record(audit.Type.AUTH_FAILURE)

    assert [e.sequence for e in (ours, theirs, nobodys)] == [1, 1, 1]
    assert nobodys.chain == "global"


def test_what_is_read_back_hashes_the_same_as_what_was_written(tenant):
    event = audit.record(
        audit.Type.DATA_MODIFICATION, tenant=tenant, ip_address="2001:DB8:0:0::1",
        details={"total": Decimal("180.00"), "rate": 0.1, "big": 1e20, "on": datetime.date(2026, 12, 12),
                 "nights": (1, 2), "nested": {"ok": True, "none": None}, "text": "a\x00b ñ ✓"},
    )

    again = stored(event)
    assert compute_hash(again.prev_hash, again) == event.hash
    assert again.created_at == event.created_at  # microseconds included
    assert again.details["total"] == "180.00" and again.details["nights"] == [1, 2]


def test_secrets_are_redacted_at_any_depth(tenant):
    event = audit.record(audit.Type.CONFIGURATION, tenant=tenant,
                         details={"password": "hunter2", "nested": {"api_key": "ha_x_y", "name": "pms"}})

    assert stored(event).details == {
        "password": "[redacted]", "nested": {"api_key": "[redacted]", "name": "pms"}
    }


def test_an_address_that_is_not_an_ip_is_not_stored(tenant):
    event = audit.record(audit.Type.AUTH_FAILURE, tenant=tenant, ip_address="unknown, 10.0.0.1")

    assert stored(event).ip_address is None


def test_an_event_rolled_back_with_its_transaction_leaves_no_gap(tenant):
    audit.record(audit.Type.CONFIGURATION, tenant=tenant)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(audit.Type.CONFIGURATION, tenant=tenant)
        raise RuntimeError
    after = audit.record(audit.Type.CONFIGURATION, tenant=tenant)

    assert after.sequence == 2
    assert verify_chain(after.chain).ok
