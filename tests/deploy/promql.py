"""The metric names a PromQL expression (or a Grafana query) reads."""
import re

STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
MATCHERS = re.compile(r"\{[^}]*\}")
RANGE = re.compile(r"\[[^\]]*\]")
LABEL_LIST = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
LABEL_VALUES = re.compile(r"\blabel_values\(\s*([^,()]+?)\s*,\s*[\w]+\s*\)")  # Grafana: (metric, label)
# An identifier not inside a word or a number, followed by {, [, ), a comma, an
# operator's space or the end, and not by "(" (functions and aggregations).
NAME = re.compile(r"(?<![\w:.$])([A-Za-z_:][\w:]*)(?!\s*\()(?=\s*[{\[),]|\s|$)")
KEYWORDS = {"and", "or", "unless", "bool", "offset", "atan2", "inf", "nan"}


def metric_names(expr: str) -> set[str]:
    expr = STRING.sub('""', expr)
    expr = LABEL_VALUES.sub(r"\1", expr)
    expr = MATCHERS.sub("{}", expr)
    expr = RANGE.sub("[]", expr)
    expr = LABEL_LIST.sub(" ", expr)
    return {name for name in NAME.findall(expr) if name.lower() not in KEYWORDS}
