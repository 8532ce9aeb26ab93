"""gunicorn's configuration in production:

    gunicorn -c deploy/gunicorn.conf.py

Binds 0.0.0.0:$PORT (8000) with $WEB_CONCURRENCY worker processes (2) of
$WEB_THREADS threads each (4). Every worker is a process of its own, so the
metrics run in prometheus_client's multiprocess mode: each worker writes its
samples to PROMETHEUS_MULTIPROC_DIR and /metrics sums them, whichever worker
answers the scrape (README "Metrics and what Prometheus scrapes").

- the directory is this server's alone: unset, a fresh one is made in the
  temporary directory; set (a tmpfs or an emptyDir volume is best), it is
  emptied when the server starts, since a previous run's samples would be added
  to this one's;
- when a worker exits, `child_exit` marks it dead so its live gauges go with it
  (its counters stay in the sums: what it counted happened);
- each worker starts its own tracing after the fork (`post_fork`).

Environment variables are read here, not in hotelagent/settings.py, because
they must be in place before any worker imports prometheus_client.
"""
import glob
import os
import tempfile

wsgi_app = "hotelagent.wsgi:application"
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
preload_app = False  # the app (and prometheus_client) is imported in each worker, after the fork

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="hotelagent-metrics-")


def on_starting(server):
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(directory, exist_ok=True)
    for path in glob.glob(os.path.join(directory, "*.db")):
        os.remove(path)


def post_fork(server, worker):
    """Tracing's span processor and exporter belong to the process that made them (hotelagent.telemetry)."""
    from hotelagent.telemetry import init_tracing_after_fork

    init_tracing_after_fork()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, os.environ["PROMETHEUS_MULTIPROC_DIR"])
