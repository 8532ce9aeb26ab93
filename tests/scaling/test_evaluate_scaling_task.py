"""`hotelagent.tasks.evaluate_scaling`, every minute from beat."""
import contextlib
import datetime
import logging

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from hotelagent import celery_app, tasks
from hotelagent.models import ScalingDecision
from hotelagent.scaling import evaluation
from hotelagent.scaling.executor import ScalingExecutor
from security.locking import Busy

from .factories import ScalingDecisionFactory

pytestmark = pytest.mark.django_db

applied = []


class RecordingExecutor(ScalingExecutor):
    def apply(self, decision):
        applied.append(decision)


class BrokenExecutor(ScalingExecutor):
    def apply(self, decision):
        raise RuntimeError("the orchestrator is unreachable")


def test_beat_runs_it_every_minute():
    task = PeriodicTask.objects.get(name="evaluate-scaling")

    assert (task.task, task.interval.every, task.interval.period) == (
        "hotelagent.tasks.evaluate_scaling", 60, "seconds")


def test_the_worker_finds_the_task():
    celery_app.loader.import_default_modules()

    assert "hotelagent.tasks.evaluate_scaling" in celery_app.tasks


def test_each_run_stores_a_decision():
    assert tasks.evaluate_scaling() == "hold"

    assert ScalingDecision.objects.get().source == "schedule"


def test_the_executor_is_handed_the_stored_decision(settings):
    settings.SCALING_EXECUTOR = "tests.scaling.test_evaluate_scaling_task.RecordingExecutor"
    applied.clear()

    tasks.evaluate_scaling()

    assert applied == [ScalingDecision.objects.get()]


def test_the_default_executor_only_logs_actions(settings, caplog):
    settings.SCALING_CURRENT_INSTANCES = 12  # above max_instances: scale_down to 10

    with caplog.at_level(logging.INFO, logger="hotelagent.scaling.executor"):
        assert tasks.evaluate_scaling() == "scale_down"

    assert caplog.messages == ["autoscaling: scale_down 12 → 10 (above max_instances 10)"]


def test_a_failing_executor_keeps_the_decision(settings, caplog):
    settings.SCALING_EXECUTOR = "tests.scaling.test_evaluate_scaling_task.BrokenExecutor"

    with caplog.at_level(logging.ERROR):
        tasks.evaluate_scaling()

    assert ScalingDecision.objects.count() == 1
    assert "the executor failed to carry out decision" in caplog.text


def test_decisions_older_than_the_retention_go_but_the_newest_stays(settings):
    settings.SCALING_DECISION_RETENTION_DAYS = 30
    old = timezone.now() - datetime.timedelta(days=31)
    ScalingDecisionFactory(evaluated_at=old)
    ScalingDecisionFactory(evaluated_at=timezone.now() - datetime.timedelta(days=2))

    tasks.evaluate_scaling()

    assert ScalingDecision.objects.filter(evaluated_at__lt=old + datetime.timedelta(days=1)).count() == 0
    assert ScalingDecision.objects.count() == 2


def test_a_run_while_another_holds_the_lock_is_skipped(monkeypatch):
    @contextlib.contextmanager
    def busy(*names):
        raise Busy()
        yield

    monkeypatch.setattr(evaluation, "locked", busy)

    assert tasks.evaluate_scaling() == "skipped"
    assert not ScalingDecision.objects.exists()
