"""Scraping /metrics as Prometheus does (from loopback, with no token configured),
and reading one sample out of the page."""
import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from reservations.pms.breaker import forget_pending_audits
from tests.webhooks.graph_api import FakeGraphAPI
from tests.webhooks.payloads import APP_SECRET


@pytest.fixture(autouse=True)
def scraping_from_loopback(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    settings.PROMETHEUS_MULTIPROC_DIR = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True  # messages are answered and replies sent in-process
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_ACCESS_TOKEN = "graph-token"


@pytest.fixture(autouse=True)
def _no_held_circuit_audits():
    """Circuit changes made inside a test's transaction are held for its commit,
    which never comes: they must not be written into the next test."""
    forget_pending_audits()
    yield
    forget_pending_audits()


@pytest.fixture
def graph_api(settings):
    with FakeGraphAPI() as fake:
        settings.WHATSAPP_API_BASE_URL = fake.base_url
        yield fake


def scrape(client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    return response.content.decode()


def series(page: str) -> list[tuple[str, dict[str, str], float]]:
    """Every sample of a scraped page: (name, labels, value)."""
    return [
        (sample.name, sample.labels, sample.value)
        for family in text_string_to_metric_families(page) for sample in family.samples
    ]


def value(page: str, name: str, **labels) -> float | None:
    found = [sample_value for sample_name, sample_labels, sample_value in series(page)
             if sample_name == name and sample_labels == labels]
    return found[0] if found else None


def count(name: str, **labels) -> float:
    """This process's running total of a counter or histogram sample (0 before the first)."""
    return REGISTRY.get_sample_value(name, labels) or 0
