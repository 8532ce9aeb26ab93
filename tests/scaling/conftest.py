import pytest

from hotelagent.scaling import host, metrics
from hotelagent.scaling.batch import batch
from hotelagent.scaling.evaluation import evaluate_scaling
from tests.clock import FakeClock

MEASURED = {"cpu_over": host.cpu_over, "memory_percent": host.memory_percent}  # psutil's, before _steady_host
START = 1_800_000_000.0  # a minute's first second, so a test's minutes are whole ones

QUIET = {"cpu_percent": 20.0, "memory_percent": 40.0, "request_rate": 50, "error_rate": 0.0,
         "p95_latency_ms": 100.0, "queue_depth": 0}
SPIKE = {"cpu_percent": 85.0, "memory_percent": 80.0, "request_rate": 1200, "error_rate": 0.01}


@pytest.fixture
def clock():
    return FakeClock(START)


@pytest.fixture(autouse=True)
def _nothing_published(monkeypatch):
    """The gauge's in-process fallback starts empty, as in a new process."""
    monkeypatch.setattr(metrics, "_published", {"value": None, "until": 0.0})


@pytest.fixture(autouse=True)
def _steady_host(monkeypatch):
    """CPU and memory of this shared machine are not the tests' to depend on."""
    monkeypatch.setattr(host, "cpu_over", lambda seconds: 20.0)
    monkeypatch.setattr(host, "cpu_since_last_call", lambda: 20.0)
    monkeypatch.setattr(host, "memory_percent", lambda: 40.0)


@pytest.fixture(autouse=True)
def _counts_written_as_requests_end(settings):
    """Most tests read the counters right after their requests: each request is
    written as it ends (test_request_counters.py tests the batching itself)."""
    settings.SCALING_COUNTS_WRITE_SECONDS = 0
    batch.take()  # nothing another test counted


@pytest.fixture(autouse=True)
def _empty_queues(settings):
    """The broker's real queues hold whatever other tests left there."""
    settings.SCALING_QUEUES = ["tests-scaling-nothing-queued"]


@pytest.fixture
def evaluate(db, clock):
    """One evaluation at the clock's time with a quiet load, `inputs` changed."""

    def evaluate(**inputs):
        return evaluate_scaling(overrides={**QUIET, **inputs}, clock=clock)

    return evaluate
