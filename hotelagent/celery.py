"""The Celery application; configuration comes from Django settings (CELERY_* names)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotelagent.settings")

app = Celery("hotelagent")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
from . import logging_config, telemetry  # noqa: E402, F401 - their signals: tracing after fork, task ids in logs
from .metrics import tasks as _task_metrics  # noqa: E402, F401 - task durations (its signals)
from .metrics import worker as _metrics_worker  # noqa: E402, F401 - its /metrics (CELERY_METRICS_PORT)
