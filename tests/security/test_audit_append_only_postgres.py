"""On PostgreSQL the audit table refuses UPDATE and DELETE, whoever asks."""
import pytest
from django.db import DatabaseError, connection, transaction
from django_scopes import scopes_disabled

from security import audit
from security.models import AuditEvent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's"),
    pytest.mark.django_db,
]


@pytest.fixture
def event(tenant):
    return audit.record(audit.Type.CONFIGURATION, tenant=tenant, actor="user:1")


def refused(change) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic(), scopes_disabled():
        change()
    return str(error.value)


def test_an_event_cannot_be_updated(event):
    assert "append-only: UPDATE refused" in refused(
        lambda: AuditEvent.objects.filter(pk=event.pk).update(actor="user:2")
    )


def test_an_event_cannot_be_saved_again(event):
    event.actor = "user:2"

    assert "UPDATE refused" in refused(event.save)


def test_an_event_cannot_be_deleted(event):
    assert "append-only: DELETE refused" in refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())


def test_raw_sql_is_refused_too(event):
    def delete_everything():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM security_auditevent")

    assert "DELETE refused" in refused(delete_everything)


def test_events_can_still_be_added(event, tenant):
    assert audit.record(audit.Type.CONFIGURATION, tenant=tenant).sequence == 2
