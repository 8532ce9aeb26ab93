"""The alert rules load in Prometheus and behave as their unit tests say
(deploy/prometheus/alerts.test.yml), and the local scrape configuration is valid.
promtool comes with Debian's `prometheus` package, which .ci/run installs."""
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

PROMETHEUS = Path(settings.BASE_DIR) / "deploy" / "prometheus"
PROMTOOL = shutil.which("promtool")

pytestmark = pytest.mark.skipif(PROMTOOL is None, reason="no promtool (apt-get install prometheus)")


def promtool(*args: str, cwd: Path = PROMETHEUS) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - promtool from PATH, our own files
        [PROMTOOL, *args], cwd=cwd, capture_output=True, text=True, timeout=120,
    )


def test_the_rules_pass_promtool_check_rules():
    result = promtool("check", "rules", "alerts.yml")

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_alerts_behave_as_their_unit_tests_say():
    result = promtool("test", "rules", "alerts.test.yml")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout + result.stderr


def test_at_least_three_alerts_have_unit_tests():
    tests = yaml.safe_load((PROMETHEUS / "alerts.test.yml").read_text())["tests"]
    tested = {case["alertname"] for test in tests for case in test["alert_rule_test"] if case["exp_alerts"]}

    assert len(tested) >= 3


def test_the_local_prometheus_config_passes_promtool_check_config(tmp_path):
    """In a copy of the tree, with the token file the config names (var/metrics-token)."""
    copy = tmp_path / "deploy" / "prometheus"
    copy.mkdir(parents=True)
    for name in ("prometheus.yml", "alerts.yml"):
        shutil.copy(PROMETHEUS / name, copy / name)
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "metrics-token").write_text("local-token")

    result = promtool("check", "config", "prometheus.yml", cwd=copy)

    assert result.returncode == 0, result.stdout + result.stderr
