"""Every task's run time is observed, by task name and outcome."""
import pytest
from prometheus_client import REGISTRY

from webhooks.tasks import sweep_outbound

pytestmark = pytest.mark.django_db


def runs(task: str, state: str) -> float:
    return REGISTRY.get_sample_value(
        "hotelagent_task_duration_seconds_count", {"task": task, "state": state}) or 0


def test_a_task_run_is_observed_with_its_name_and_state():
    before = runs("webhooks.tasks.sweep_outbound", "SUCCESS")

    sweep_outbound.apply()

    assert runs("webhooks.tasks.sweep_outbound", "SUCCESS") == before + 1
