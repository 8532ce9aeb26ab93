"""With PROMETHEUS_MULTIPROC_DIR set, /metrics sums the samples every process of
the server wrote there and still carries the gauges computed at scrape time."""
import pytest
from prometheus_client.values import MultiProcessValue

from reservations.models import GuestRating

from .conftest import scrape, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def multiprocess_dir(tmp_path, settings, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    settings.PROMETHEUS_MULTIPROC_DIR = str(tmp_path)
    return tmp_path


def counted_by_process(pid: int, amount: float) -> None:
    """What a gunicorn worker with this pid leaves in the directory after counting."""
    sample = MultiProcessValue(process_identifier=lambda: pid)(
        "counter", "hotelagent_handoffs", "hotelagent_handoffs_total", ("tenant",), ("hotel-sol",), "",
    )
    sample.inc(amount)


def test_counters_are_summed_over_the_servers_processes(client, multiprocess_dir):
    counted_by_process(4001, 3)
    counted_by_process(4002, 4)

    assert value(scrape(client), "hotelagent_handoffs_total", tenant="hotel-sol") == 7


def test_gauges_computed_at_scrape_time_are_served_too(client, multiprocess_dir, tenant):
    GuestRating.objects.with_scope(tenant=tenant).create(tenant=tenant, score=4)

    page = scrape(client)

    assert value(page, "hotelagent_guest_satisfaction_score", tenant="hotel-sol") == 4.0
    assert value(page, "hotelagent_graph_api_circuit_state") == 0
    assert "# TYPE hotelagent_occupancy_ratio gauge" in page
    assert "# TYPE hotelagent_desired_instances gauge" in page
