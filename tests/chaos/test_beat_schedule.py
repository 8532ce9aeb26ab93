"""A real beat with the DatabaseScheduler and a real worker: the schedule an
operator edits in the admin (here: warm_caches and evaluate_scaling every
second) is what runs."""
import contextlib
import threading

import celery.beat
import pytest
from django.db import connections
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from prometheus_client import REGISTRY

from hotelagent.celery import app as celery_app
from hotelagent.models import ScalingDecision

from .conftest import wait_for

pytestmark = [pytest.mark.chaos, pytest.mark.django_db(transaction=True)]


def warm_runs() -> float:
    return REGISTRY.get_sample_value("hotelagent_cache_warm_seconds_count") or 0


@contextlib.contextmanager
def database_beat():
    """beat as `celery beat` runs it: the DatabaseScheduler reading PeriodicTask rows."""
    service = celery.beat.Service(app=celery_app, max_interval=0.5,
                                  scheduler_cls="django_celery_beat.schedulers:DatabaseScheduler")

    def run():
        try:
            service.start()
        finally:
            connections.close_all()  # the scheduler's own connection, or the test database stays in use

    thread = threading.Thread(target=run, name="beat", daemon=True)
    thread.start()
    try:
        yield service
    finally:
        service.stop()
        thread.join(10)


def test_beat_runs_what_the_database_schedules(hotel, worker):
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    PeriodicTask.objects.filter(name__in=["warm-caches", "evaluate-scaling"]).update(interval=every_second)
    PeriodicTask.objects.exclude(name__in=["warm-caches", "evaluate-scaling"]).update(enabled=False)
    warmed_before = warm_runs()

    with database_beat():
        assert wait_for(lambda: ScalingDecision.objects.count() >= 2, 30, every=0.5)
        assert wait_for(lambda: warm_runs() >= warmed_before + 2, 30, every=0.5)

    runs = dict(PeriodicTask.objects.values_list("name", "total_run_count"))
    print(f"\nbeat from the database: evaluate-scaling={runs['evaluate-scaling']} "
          f"warm-caches={runs['warm-caches']} decisions={ScalingDecision.objects.count()} "
          f"warm_runs={warm_runs() - warmed_before:.0f}")
    assert runs["evaluate-scaling"] >= 2 and runs["warm-caches"] >= 2
    assert runs["rotate-due-secrets-hourly"] == 0  # disabled in the admin: not run
