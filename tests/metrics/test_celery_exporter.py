"""A Celery worker serves what its processes counted on CELERY_METRICS_PORT,
behind the same access rule as the web's /metrics."""
import socket

import httpx
import pytest

from hotelagent.metrics import worker

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def exporter(settings):
    settings.CELERY_METRICS_PORT = free_port()
    worker._serve()  # what worker_process_init does in each worker process
    yield f"http://127.0.0.1:{settings.CELERY_METRICS_PORT}/metrics"
    worker.stop_exporter()


def test_the_worker_serves_its_own_counters(exporter):
    page = httpx.get(exporter).text

    assert "hotelagent_whatsapp_send_attempts_total" in page
    assert "hotelagent_replies_total" in page


def test_gauges_of_shared_state_are_left_to_the_web(exporter):
    page = httpx.get(exporter).text

    assert "hotelagent_pms_circuit_state" not in page
    assert "hotelagent_occupancy_ratio" not in page


def test_with_a_token_configured_the_worker_wants_it_too(exporter, settings):
    settings.METRICS_TOKEN = "scrape-token"

    assert httpx.get(exporter).status_code == 401
    assert httpx.get(exporter, headers={"Authorization": "Bearer scrape-token"}).status_code == 200


def test_a_second_process_of_the_worker_leaves_the_port_to_the_first(exporter, settings):
    assert worker.start_exporter(settings.CELERY_METRICS_PORT) is False
    assert httpx.get(exporter).status_code == 200


def test_without_a_port_nothing_is_served(settings):
    settings.CELERY_METRICS_PORT = 0

    worker._serve()

    assert "server" not in worker._served
