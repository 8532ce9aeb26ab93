"""Twenty threads, each with its own PostgreSQL connection, recording events for
two hotels at once: every chain comes out gap-free and verifies. SQLite has one
writer, so this proves nothing there and is skipped."""
import threading

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from security import audit
from security.chain import chain_name, verify_chain
from security.models import AuditEvent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent PostgreSQL connections"),
    pytest.mark.django_db(transaction=True),
]

THREADS = 20
EVENTS_PER_THREAD = 5


def test_concurrent_events_of_two_hotels_make_two_contiguous_chains(tenant, other_tenant):
    barrier = threading.Barrier(THREADS)
    errors = []

    def worker(n):
        hotel = (tenant, other_tenant)[n % 2]
        try:
            barrier.wait(timeout=30)
            for step in range(EVENTS_PER_THREAD):
                audit.record(audit.Type.DATA_ACCESS, tenant=hotel, actor=f"thread:{n}",
                             details={"step": step})
        except Exception as error:  # the test inspects what went wrong
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    per_hotel = THREADS // 2 * EVENTS_PER_THREAD
    for hotel in (tenant, other_tenant):
        with scopes_disabled():
            sequences = list(AuditEvent.objects.filter(tenant=hotel).order_by("sequence")
                             .values_list("sequence", flat=True))
        assert sequences == list(range(1, per_hotel + 1))
        report = verify_chain(chain_name(hotel.pk))
        assert report.ok and report.events == per_hotel
