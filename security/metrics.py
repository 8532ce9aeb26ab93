"""Security metrics."""
from prometheus_client import Gauge

audit_chain_broken = Gauge(
    "hotelagent_audit_chain_broken",
    "1 when the last verification found the audit chain broken, else 0",
    ["chain"],
)
