"""Make the audit trail append-only.

1. created_at is stamped by security.chain before hashing (auto_now_add would
   overwrite it on insert, and the stored value must hash the same later).
2. Events written before chaining existed join their chain, in id order.
3. On PostgreSQL a trigger refuses UPDATE and DELETE of any audit row. TRUNCATE
   fires no row trigger, so test-database flushes keep working; whoever may
   TRUNCATE or disable triggers owns the table and is outside what this protects.
"""
import django.utils.timezone
from django.db import migrations, models

from security.chain import GENESIS, chain_name, compute_hash

BATCH = 1000

CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION security_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'security_auditevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER security_auditevent_append_only
    BEFORE UPDATE OR DELETE ON security_auditevent
    FOR EACH ROW EXECUTE FUNCTION security_auditevent_append_only();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS security_auditevent_append_only ON security_auditevent;
DROP FUNCTION IF EXISTS security_auditevent_append_only();
"""


def chain_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("security", "AuditEvent")
    events = AuditEvent.objects.using(schema_editor.connection.alias)
    heads: dict[str, tuple[int, str]] = {}
    last_id = 0
    while batch := list(events.filter(sequence__isnull=True, pk__gt=last_id).order_by("pk")[:BATCH]):
        for event in batch:
            chain = chain_name(event.tenant_id)
            if chain not in heads:
                head = (events.filter(chain=chain, sequence__isnull=False)
                        .order_by("-sequence").values_list("sequence", "hash").first())
                heads[chain] = head or (0, GENESIS)
            sequence, prev_hash = heads[chain]
            event.chain, event.sequence, event.prev_hash = chain, sequence + 1, prev_hash
            event.hash = compute_hash(prev_hash, event)
            event.save(update_fields=["chain", "sequence", "prev_hash", "hash"])
            heads[chain] = (event.sequence, event.hash)
        last_id = batch[-1].pk


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER, params=None)  # the % in RAISE is not a placeholder


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("security", "0002_audit_chain_and_secret_store"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
