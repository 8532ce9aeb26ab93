"""Every task's run time is observed, by task name."""
import pytest
from prometheus_client import REGISTRY

from webhooks.tasks import sweep_outbound

pytestmark = pytest.mark.django_db


def runs(task: str) -> float:
    return REGISTRY.get_sample_value("hotelagent_task_duration_seconds_count", {"task": task}) or 0


def test_a_task_run_is_observed_with_its_name():
    before = runs("webhooks.tasks.sweep_outbound")

    sweep_outbound.apply()

    assert runs("webhooks.tasks.sweep_outbound") == before + 1
