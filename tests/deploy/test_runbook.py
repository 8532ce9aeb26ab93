"""Every alert says what happened and links to its own section of deploy/RUNBOOK.md,
where the first things to check are."""
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
RUNBOOK = (DEPLOY / "RUNBOOK.md").read_text()
ALERTS = [rule for group in yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())["groups"]
          for rule in group["rules"] if "alert" in rule]


def anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors: lower-cased, punctuation dropped, spaces to dashes."""
    headings = re.findall(r"^#{1,6} (.+)$", markdown, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading).strip().lower().replace(" ", "-") for heading in headings}


@pytest.mark.parametrize("alert", ALERTS, ids=lambda alert: alert["alert"])
def test_every_alert_links_its_runbook_section(alert):
    annotations = alert["annotations"]

    assert {"summary", "description", "runbook_url"} <= set(annotations)
    assert annotations["runbook_url"] == f"deploy/RUNBOOK.md#{alert['alert'].lower()}"
    assert alert["alert"].lower() in anchors(RUNBOOK)


@pytest.mark.parametrize("alert", ALERTS, ids=lambda alert: alert["alert"])
def test_every_runbook_section_gives_three_first_checks(alert):
    section = RUNBOOK.split(f"\n## {alert['alert']}\n", 1)[1].split("\n## ", 1)[0]

    assert len(re.findall(r"^\d\. ", section, flags=re.MULTILINE)) >= 3, alert["alert"]


def test_every_alert_has_a_severity():
    assert {alert["labels"]["severity"] for alert in ALERTS} <= {"critical", "warning", "info"}
