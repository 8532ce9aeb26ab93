"""Under gunicorn every worker is a process with its own memory: with
deploy/gunicorn.conf.py a counter scraped from /metrics is the sum over the
workers, whichever one answers the scrape. A real gunicorn, two workers, this
test's database."""
import glob
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings as django_settings
from django.db import connection
from prometheus_client.multiprocess import MultiProcessCollector

from reservations.pms.breaker import breaker_for

from .conftest import value

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
LIVE = {"view": "health-live", "transport": "http", "method": "GET"}
COUNTER = "django_http_requests_total_by_view_transport_method_total"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(tmp_path) -> str:
    """This test's own database: PostgreSQL's test database (committed rows, a
    transaction=True test), or a migrated SQLite file (the in-memory one is this process's)."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    url = f"sqlite:///{tmp_path / 'gunicorn.sqlite3'}"
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True,  # noqa: S603
                   env={**os.environ, "DATABASE_URL": url})
    return url


@pytest.fixture
def gunicorn(tmp_path):
    port, directory = free_port(), tmp_path / "prometheus"
    directory.mkdir()
    (directory / "counter_99999.db").write_bytes(b"left by an earlier run")  # emptied on start
    env = {**os.environ, "PORT": str(port), "WEB_CONCURRENCY": "2", "WEB_THREADS": "2",
           "PROMETHEUS_MULTIPROC_DIR": str(directory), "DATABASE_URL": database_url(tmp_path)}
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not workers_ready(directory):
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield base, directory
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(20)
        log.close()


def workers_ready(directory: Path) -> bool:
    """Each worker writes its files when the app is loaded in it."""
    return len(pids_with(directory, "counter")) >= 2


def pids_with(directory: Path, kind: str) -> set[str]:
    return {Path(path).stem.rsplit("_", 1)[1] for path in glob.glob(str(directory / f"{kind}_*.db"))}


def served_by(directory: Path) -> set[str]:
    """The workers whose own file counts a /health/live request."""
    pids = set()
    for path in glob.glob(str(directory / "counter_*.db")):
        for metric in MultiProcessCollector.merge([path]):
            if any(sample.labels == LIVE and sample.value for sample in metric.samples):
                pids.add(Path(path).stem.rsplit("_", 1)[1])
    return pids


def scrape(base: str) -> str:
    response = httpx.get(f"{base}/metrics", timeout=10)
    assert response.status_code == 200
    return response.text


def test_a_counter_is_the_sum_over_the_workers_whichever_answers(gunicorn):
    base, directory = gunicorn
    assert "99999" not in pids_with(directory, "counter")

    sent = 0
    while sent < 40 or len(served_by(directory)) < 2:  # until both workers have answered some
        assert httpx.get(f"{base}/health/live", timeout=10).status_code == 200  # a new connection each
        sent += 1
        assert sent < 1000, "one worker answered every request"

    for _ in range(6):  # whichever worker answers the scrape
        assert value(scrape(base), COUNTER, **LIVE) == sent


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="processes share circuits through Redis")
def test_a_circuit_this_process_opened_is_open_in_every_worker(gunicorn, tenant):
    base, _ = gunicorn
    tenant.pms_backend = "qloapps"
    tenant.save()

    breaker_for(tenant, "bookings", failure_threshold=1).record_failure()

    for _ in range(4):
        page = scrape(base)
        assert value(page, "hotelagent_pms_circuit_state", tenant=tenant.slug, endpoint="bookings") == 2
        assert value(page, "hotelagent_pms_circuit_state", tenant=tenant.slug, endpoint="hotel_ari") == 0
