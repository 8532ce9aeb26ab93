"""Migration 0003 chains the events written before chaining existed, in id order."""
import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from security import audit
from security.chain import GENESIS, verify_chains

pytestmark = pytest.mark.django_db

migration = importlib.import_module("security.migrations.0003_audit_append_only")


def test_unchained_events_join_their_chains_in_id_order(tenant, other_tenant, tamper):
    events = [audit.record(audit.Type.CONFIGURATION, tenant=t) for t in (tenant, other_tenant, tenant, None)]
    with tamper() as rows:
        rows.update(chain="", sequence=None, prev_hash="", hash="")
    assert not all(report.ok for report in verify_chains())

    before = ("security", "0002_audit_chain_and_secret_store")
    historical = MigrationLoader(connection).project_state(before).apps
    with tamper():  # the migration runs before it creates the trigger
        migration.chain_existing_events(historical, SimpleNamespace(connection=connection))

    with tamper() as rows:
        chained = {row.pk: (row.chain, row.sequence, row.prev_hash) for row in rows}
    assert chained[events[0].pk] == (f"tenant:{tenant.pk}", 1, GENESIS)
    assert chained[events[2].pk][:2] == (f"tenant:{tenant.pk}", 2)
    assert chained[events[1].pk][:2] == (f"tenant:{other_tenant.pk}", 1)
    assert chained[events[3].pk][:2] == ("global", 1)
    assert all(report.ok for report in verify_chains())
