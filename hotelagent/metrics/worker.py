"""A Celery worker's own /metrics, on CELERY_METRICS_PORT (off when unset).

Replies are sent, messages answered and bookings made in Celery workers, so
their counters are incremented there, not in the web processes Prometheus
scrapes at /metrics. Each worker therefore serves its own:

- run the worker with PROMETHEUS_MULTIPROC_DIR set to a directory of its own
  (not gunicorn's: each directory is emptied when its server starts); every
  prefork child writes its samples there, and the first child to start binds
  the port and serves the sum over all of them (a child that finds the port
  taken leaves it to that one; the child that replaces it binds it again).
  Without the directory each process counts alone, which is only the whole
  worker with `--concurrency 1` or `--pool solo`: the exporter warns otherwise;
- the page is protected like the web's (security.metrics_access: METRICS_TOKEN,
  METRICS_ALLOWED_IPS, else loopback only);
- it carries only what the worker's processes counted: the gauges computed from
  shared state are the web's to serve (hotelagent.metrics.exposition).

Loaded by hotelagent/celery.py, before Django is set up: nothing at module level
may need the settings or the apps.
"""
import errno
import glob
import logging
import os
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from celery.signals import worker_init, worker_process_init, worker_process_shutdown

logger = logging.getLogger(__name__)

_served: dict = {}


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # Prometheus scrapes every few seconds
        pass


def protected(app):
    """`app` behind /metrics' own access rule (security.metrics_access)."""
    from django.core.handlers.wsgi import WSGIRequest
    from django.db import close_old_connections

    from security.metrics_access import metrics_refusal

    def guarded(environ, start_response):
        try:
            refusal = metrics_refusal(WSGIRequest(environ))
        finally:
            close_old_connections()  # a wrong token is audited from this thread
        if refusal is None:
            return app(environ, start_response)
        start_response(f"{refusal.status_code} {refusal.reason_phrase}", list(refusal.items()))
        return [refusal.content]

    return guarded


def start_exporter(port: int, address: str = "") -> bool:
    """Serve this worker's metrics on `port` from a daemon thread; False when
    another process of the worker already does."""
    from prometheus_client import make_wsgi_app

    from .exposition import worker_registry

    try:
        server = make_server(address, port, protected(make_wsgi_app(worker_registry())),
                             server_class=_Server, handler_class=_QuietHandler)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        logger.debug("metrics: port %s is served by another process of this worker", port)
        return False
    thread = threading.Thread(target=server.serve_forever, name="metrics-exporter", daemon=True)
    thread.start()
    _served.update(server=server, thread=thread)
    logger.info("metrics: Celery worker process %s serves /metrics on port %s", os.getpid(), port)
    return True


def stop_exporter() -> None:
    server = _served.pop("server", None)
    if server is not None:
        server.shutdown()
        server.server_close()
        _served.pop("thread").join(5)


@worker_init.connect
def _empty_directory(**kwargs) -> None:
    """Samples a previous run left behind would be added to this run's."""
    from django.conf import settings

    directory = settings.PROMETHEUS_MULTIPROC_DIR
    if not settings.CELERY_METRICS_PORT or not directory:
        return
    own = f"_{os.getpid()}.db"
    for path in glob.glob(os.path.join(directory, "*.db")):
        if not path.endswith(own):  # this process's own files are open, and written to
            os.remove(path)


@worker_process_init.connect
def _serve(**kwargs) -> None:
    from django.conf import settings

    if not settings.CELERY_METRICS_PORT:
        return
    if not settings.PROMETHEUS_MULTIPROC_DIR:
        logger.warning("metrics: PROMETHEUS_MULTIPROC_DIR is unset, so port %s shows one process's counts "
                       "(the whole worker only with --concurrency 1 or --pool solo)",
                       settings.CELERY_METRICS_PORT)
    start_exporter(settings.CELERY_METRICS_PORT)


@worker_process_shutdown.connect
def _forget_process(**kwargs) -> None:
    """A child going away: its live gauges must not outlive it (counters stay)."""
    from django.conf import settings

    if settings.PROMETHEUS_MULTIPROC_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid(), settings.PROMETHEUS_MULTIPROC_DIR)
