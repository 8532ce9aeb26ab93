import pytest
from django.test import Client

from tests.factories import ChannelAccountFactory, MembershipFactory, RoomTypeFactory, UserFactory

from .graph_api import FakeGraphAPI
from .payloads import APP_SECRET, SOL_NUMBER_ID


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
def graph_api(settings):
    with FakeGraphAPI() as fake:
        settings.WHATSAPP_API_BASE_URL = fake.base_url
        yield fake


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
