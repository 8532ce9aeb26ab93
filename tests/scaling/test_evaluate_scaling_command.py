"""`manage.py evaluate_scaling`: the decision now, inputs set by hand for a what-if."""
import contextlib
import json
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connections
from prometheus_client import REGISTRY

from hotelagent.management.commands.evaluate_scaling import Command
from hotelagent.models import ScalingDecision
from hotelagent.scaling import evaluation
from security.locking import Busy

pytestmark = pytest.mark.django_db

SPIKE = ["--cpu", "85", "--memory", "40", "--request-rate", "1200", "--error-rate", "0.01",
         "--queue-depth", "0"]


def run(*arguments) -> int:
    """The command as the shell runs it: its exit status. (It closes the database
    connections when done, which would end the test's transaction: not here.)"""
    try:
        with mock.patch.object(connections, "close_all"):
            Command().run_from_argv(["manage.py", "evaluate_scaling", *arguments])
    except SystemExit as exit:
        return exit.code
    return 0


def test_json_prints_the_decision(capsys):
    assert run(*SPIKE, "--json") == 0

    printed = json.loads(capsys.readouterr().out)
    assert {key: printed[key] for key in ("action", "current_instances", "target_instances", "reasons")} == {
        "action": "scale_up", "current_instances": 1, "target_instances": 2,
        "reasons": ["cpu 85% > 75%", "requests per instance 1200/min > 1000/min"],
    }
    assert printed["inputs"]["cpu_percent"] == 85.0


def test_the_decision_is_stored_and_published_like_the_tasks(capsys):
    run(*SPIKE)

    stored = ScalingDecision.objects.get()
    assert (stored.action, stored.source) == ("scale_up", "command")
    assert stored.overridden == ["cpu_percent", "error_rate", "memory_percent", "queue_depth", "request_rate"]
    assert REGISTRY.get_sample_value("hotelagent_desired_instances") == 2
    out = capsys.readouterr().out
    assert "scale_up: 1 → 2 instances" in out
    assert "  - cpu 85% > 75%" in out
    assert f"stored as decision {stored.pk}" in out


def test_inputs_not_given_are_measured(capsys):
    call_command("evaluate_scaling", "--json")

    printed = json.loads(capsys.readouterr().out)
    assert printed["action"] == "hold"
    assert printed["inputs"]["cpu_percent"] == 20.0  # the host, as tests/scaling/conftest.py steadies it
    assert printed["overridden"] == []


def test_a_dry_run_stores_and_publishes_nothing(capsys):
    assert run(*SPIKE, "--dry-run", "--json") == 0

    assert json.loads(capsys.readouterr().out)["action"] == "scale_up"
    assert not ScalingDecision.objects.exists()
    assert REGISTRY.get_sample_value("hotelagent_desired_instances") is None


@pytest.mark.parametrize("arguments", [["--cpu", "120"], ["--error-rate", "2"], ["--queue-depth", "-1"],
                                       ["--request-rate", "many"]])
def test_impossible_inputs_are_refused(capsys, arguments):
    assert run(*arguments) == 2
    assert "invalid" in capsys.readouterr().err
    assert not ScalingDecision.objects.exists()


def test_another_evaluation_running_exits_non_zero(capsys, monkeypatch):
    @contextlib.contextmanager
    def busy(*names):
        raise Busy()
        yield

    monkeypatch.setattr(evaluation, "locked", busy)

    assert run(*SPIKE) == 1
    assert "another evaluation is running" in capsys.readouterr().err


def test_help_explains_the_what_if():
    text = Command().create_parser("manage.py", "evaluate_scaling").format_help()

    for words in ("what if", "--cpu PERCENT", "--request-rate N", "every instance together", "--json",
                  "cooldown", "--dry-run"):
        assert words in " ".join(text.split()), words
