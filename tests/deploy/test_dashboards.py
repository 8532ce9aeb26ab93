"""Every query of the Grafana dashboards and of the alert rules reads a metric the
app really exports: /metrics is scraped after a booking, a web-chat message, a
signed WhatsApp message and refused callers, and each name must be in it (a
labelled series nobody has counted yet still has its `# TYPE` line)."""
import json
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from .conftest import exported_names, scrape
from .promql import metric_names

pytestmark = pytest.mark.django_db

DEPLOY = Path(settings.BASE_DIR) / "deploy"
DASHBOARDS = sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))
ALERTS = DEPLOY / "prometheus" / "alerts.yml"
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")
# Not the app's: `up` is the series Prometheus writes for each target it scrapes, and
# node_* come from node_exporter (the predictive disk and memory alerts).
FROM_ELSEWHERE = {"up"}
FROM_NODE_EXPORTER = "node_"


def queries(node) -> list[str]:
    """Every panel target's `expr` and every query variable's query in a dashboard."""
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("expr"), str):
            found.append(node["expr"])
        if node.get("type") == "query" and "query" in node:
            query = node["query"]
            found.append(query["query"] if isinstance(query, dict) else query)
        for value in node.values():
            found += queries(value)
    elif isinstance(node, list):
        for value in node:
            found += queries(value)
    return found


def rules() -> list[dict]:
    return [rule for group in yaml.safe_load(ALERTS.read_text())["groups"] for rule in group["rules"]]


def histograms(page: str) -> set[str]:
    return {line.split()[2] for line in page.splitlines()
            if line.startswith("# TYPE ") and line.endswith(" histogram")}


def unknown(names: set[str], page: str, *, also: set[str] = frozenset()) -> set[str]:
    exported, histogram = exported_names(page), histograms(page)

    def known(name: str) -> bool:
        base = next((name[: -len(s)] for s in HISTOGRAM_SUFFIXES if name.endswith(s)), None)
        return name in exported or name in also or base in histogram or name in FROM_ELSEWHERE

    return {name for name in names if not known(name)}


@pytest.fixture
def page(client, traffic) -> str:
    return scrape(client)


def test_there_are_the_three_dashboards():
    assert [path.name for path in DASHBOARDS] == ["business.json", "operations.json", "security.json"]


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.stem)
def test_every_dashboard_query_reads_a_metric_the_app_exports(page, path):
    expressions = queries(json.loads(path.read_text()))
    names = set().union(*(metric_names(expr) for expr in expressions))

    assert len(expressions) >= 10
    assert not {name for name in names if name.startswith(FROM_NODE_EXPORTER)}, "dashboards read the app only"
    assert unknown(names, page) == set()


def test_every_alert_rule_reads_a_metric_the_app_exports_or_records(page):
    recorded = {rule["record"] for rule in rules() if "record" in rule}
    names = set().union(*(metric_names(rule["expr"]) for rule in rules()))
    from_the_app = {name for name in names if not name.startswith(FROM_NODE_EXPORTER)}

    assert {name for name in names if name.startswith(FROM_NODE_EXPORTER)} == {
        "node_filesystem_avail_bytes", "node_filesystem_size_bytes", "node_memory_MemAvailable_bytes",
        "node_memory_MemTotal_bytes",
    }
    assert unknown(from_the_app, page, also=recorded) == set()


def test_a_name_the_app_does_not_export_is_caught(page):
    assert unknown({"hotelagent_bookings_total", "hotelagent_reply_latency_seconds_bucket"}, page) == {
        "hotelagent_bookings_total"
    }


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.stem)
def test_every_panel_reads_the_provisioned_prometheus(path):
    datasource = yaml.safe_load((DEPLOY / "grafana/provisioning/datasources/prometheus.yaml").read_text())
    uid = datasource["datasources"][0]["uid"]
    panels = [panel for panel in json.loads(path.read_text())["panels"] if panel["type"] != "row"]

    assert {panel["datasource"]["uid"] for panel in panels} == {uid}
    assert all(panel["targets"] and panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24 for panel in panels)
    assert len({panel["id"] for panel in panels}) == len(panels)


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.stem)
def test_every_per_hotel_panel_follows_the_hotel_variable(path):
    board = json.loads(path.read_text())
    per_hotel = [expr for expr in queries(board["panels"]) if re.search(r"by \([^)]*\btenant\b", expr)]

    assert "tenant" in {variable["name"] for variable in board["templating"]["list"]}
    assert all('tenant=~"$tenant"' in expr for expr in per_hotel), per_hotel
