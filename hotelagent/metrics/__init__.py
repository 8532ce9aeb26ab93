"""What Prometheus scrapes (README "Metrics and what Prometheus scrapes").

- `exposition`: the web's /metrics, one truth whichever gunicorn worker answers:
  in multiprocess mode the samples every worker wrote to PROMETHEUS_MULTIPROC_DIR,
  summed, plus the gauges computed at scrape time from shared state.
- `worker`: a Celery worker's own exporter on CELERY_METRICS_PORT.

Nothing here is imported by the settings or at package import: hotelagent/celery.py
loads `worker` before Django is set up.
"""
