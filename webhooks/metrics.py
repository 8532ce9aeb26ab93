"""What the sending pipeline counts. No guest, reply or message ids in labels."""
from prometheus_client import Counter, Gauge

send_attempts = Counter(
    "hotelagent_whatsapp_send_attempts_total",
    "Calls to the Graph API to send a reply, and the calls held back, by outcome",
    ["outcome"],  # sent | retry | failed | circuit_open | unrecorded
)
replies_resolved = Counter(
    "hotelagent_whatsapp_replies_resolved_total",
    "Replies whose send outcome was lost, by how the sweep or a status resolved them",
    ["resolution"],  # journal | status | marked_unknown | resent
)
graph_api_circuit_state = Gauge(
    "hotelagent_graph_api_circuit_state",
    "Graph API circuit breaker state: 0 closed, 1 half-open, 2 open (as this process last saw it)",
)
