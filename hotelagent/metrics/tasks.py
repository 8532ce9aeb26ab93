"""How long each Celery task runs, by task name (a fixed set: ours).

Measured between Celery's task_prerun and task_postrun signals in the process
that runs the task, so under a worker it is summed by the worker's exporter
(hotelagent.metrics.worker); eagerly, by the web process that ran it."""
import time

from celery import signals
from prometheus_client import Histogram

task_duration = Histogram(
    "hotelagent_task_duration_seconds",
    "Seconds a Celery task ran, by task",
    ["task"],
    buckets=(0.05, 0.25, 1, 5, 30, 300),  # few: every bucket is a series per task
)

_started: dict[str, float] = {}


@signals.task_prerun.connect(dispatch_uid="hotelagent-task-duration-start")
def _start(task_id=None, **kwargs) -> None:
    if task_id:
        _started[task_id] = time.perf_counter()


@signals.task_postrun.connect(dispatch_uid="hotelagent-task-duration-stop")
def _stop(task_id=None, task=None, **kwargs) -> None:
    began = _started.pop(task_id, None) if task_id else None
    if began is None or task is None:
        return
    task_duration.labels(task=task.name).observe(time.perf_counter() - began)
