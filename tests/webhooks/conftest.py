import pytest
from django.test import Client
from django_scopes import scopes_disabled

from security.models import AuditEvent
from tests.factories import ChannelAccountFactory, MembershipFactory, RoomTypeFactory, UserFactory
from webhooks.models import InboundMessage

from .payloads import APP_SECRET, HARBOR_NUMBER_ID, SOL_NUMBER_ID


@pytest.fixture(autouse=True)
def whatsapp_settings(settings):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "verify-me"
    settings.WHATSAPP_ACCESS_TOKEN = "graph-token"
    return settings


@pytest.fixture(autouse=True)
def eager_celery(settings):
    """Run tasks in-process; the real-worker test switches this off for itself.
    (Celery reads CELERY_* Django settings live, so the settings fixture is enough.)"""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def sol_number(tenant):
    return ChannelAccountFactory(tenant=tenant, external_id=SOL_NUMBER_ID)


@pytest.fixture
def hotel_sol(tenant, sol_number):
    """Hotel Sol reachable on WhatsApp, with standard rooms."""
    RoomTypeFactory(tenant=tenant, code="standard", name="Estándar", max_guests=2)
    return tenant


@pytest.fixture
def meta():
    """Meta's side of the webhook: a plain client (no session, no API key)."""
    return Client()


@pytest.fixture
def staff_member(tenant):
    """Front-desk staff of Hotel Sol, the role with the fewest rights in the back office."""
    return MembershipFactory(tenant=tenant, role="staff").user


@pytest.fixture
def as_staff(client, staff_member):
    client.force_login(staff_member)
    return client


@pytest.fixture
def as_superuser(client, db):
    client.force_login(UserFactory(is_superuser=True))
    return client


@pytest.fixture
def harbor_number(other_tenant):
    """Harbor Inn, a second hotel, on its own WhatsApp number."""
    return ChannelAccountFactory(tenant=other_tenant, external_id=HARBOR_NUMBER_ID)


@pytest.fixture
def no_processing(monkeypatch):
    """Store without answering: the intake is under test, not the agent. Returns
    the ids that would have been handed to a worker."""
    queued: list = []

    def queue(task, *args):
        queued.append(args)
        return True

    monkeypatch.setattr("webhooks.fast_path.publish", queue)
    return queued


@pytest.fixture
def stored_ids(db):
    """A callable: the wamids stored so far, sorted."""
    def ids() -> list[str]:
        with scopes_disabled():
            return sorted(InboundMessage.objects.values_list("external_id", flat=True))
    return ids


@pytest.fixture
def suspicious_actions(db):
    """A callable: the actions of the SUSPICIOUS_ACTIVITY events audited so far."""
    def actions() -> list[str]:
        with scopes_disabled():
            return list(AuditEvent.objects.filter(event_type=AuditEvent.Type.SUSPICIOUS_ACTIVITY)
                        .order_by("id").values_list("action", flat=True))
    return actions
