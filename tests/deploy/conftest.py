"""A scrape of /metrics after a little of everything the product does, as the
dashboards and alert rules would see it."""
import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import ChannelAccountFactory
from tests.webhooks import payloads


@pytest.fixture
def traffic(settings, tenant, api, booking_payload, graph_api, django_capture_on_commit_callbacks):
    """A booking through the API, a web-chat message, a signed WhatsApp message, a
    forged delivery and a wrong API key, all at Hotel Sol."""
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    settings.PROMETHEUS_MULTIPROC_DIR = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True  # messages are answered and replies sent in-process
    settings.WHATSAPP_APP_SECRET = payloads.APP_SECRET
    settings.WHATSAPP_ACCESS_TOKEN = "graph-token"
    ChannelAccountFactory(tenant=tenant, external_id=payloads.SOL_NUMBER_ID)
    with django_capture_on_commit_callbacks(execute=True):  # bookings are counted once committed
        assert api.post("/api/v1/reservations/", booking_payload, format="json").status_code == 201
        api.get("/api/v1/availability/", {"check_in": booking_payload["check_in"],
                                          "check_out": booking_payload["check_out"]})
        api.post("/api/v1/messages/", {"sender": "visitor-1", "text": "Hola"}, format="json")
        delivery = payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[
            payloads.text("wamid.deploy.1", "Hola"),
        ]))
        assert payloads.post(Client(), delivery).status_code == 200
        assert payloads.post(Client(), delivery, secret="forged").status_code == 403
    Client(HTTP_AUTHORIZATION="Api-Key wrong").get("/api/v1/availability/")


def scrape(client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    return response.content.decode()


def exported_names(page: str) -> set[str]:
    """Every metric name the page declares (its `# TYPE` lines, which a labelled
    series without samples yet still has) or carries a sample of."""
    names = {line.split()[2] for line in page.splitlines() if line.startswith("# TYPE ")}
    for family in text_string_to_metric_families(page):
        names.update(sample.name for sample in family.samples)
    return names
