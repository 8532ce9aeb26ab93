"""What the conversation pipeline counts. No guest, reply or message ids in labels:
hotels, channels, message types, languages and outcomes are all bounded sets.

`hotelagent_graph_api_circuit_state` is read from the circuit's shared state in
the cache when Prometheus scrapes, not set by whichever process saw it last.
"""
import datetime
import logging
import time

from prometheus_client import REGISTRY, Counter, Histogram

from security.metrics import ScrapeTimeCollector

logger = logging.getLogger(__name__)

send_attempts = Counter(
    "hotelagent_whatsapp_send_attempts_total",
    "Calls to the Graph API to send a reply, and the calls held back, by outcome",
    ["outcome"],  # sent | retry | failed | circuit_open | unrecorded
)
read_receipts = Counter(
    "hotelagent_whatsapp_read_receipts_total",
    "Read receipts with the typing indicator sent for guest messages, by outcome (best effort)",
    ["outcome"],  # sent | refused | timeout | error | circuit_open | no_token
)
replies_resolved = Counter(
    "hotelagent_whatsapp_replies_resolved_total",
    "Replies whose send outcome was lost, by how the sweep or a status resolved them",
    ["resolution"],  # journal | status | marked_unknown | resent
)
inbound_messages = Counter(
    "hotelagent_inbound_messages_total",
    "Guest messages stored, by hotel, channel and message type (types outside MESSAGE_TYPES are 'other')",
    ["tenant", "channel", "type"],
)
replies = Counter(
    "hotelagent_replies_total",
    "Replies whose outcome is final, by hotel, channel and outcome (sent, failed)",
    ["tenant", "channel", "outcome"],
)
handoffs = Counter(
    "hotelagent_handoffs_total", "Conversations the agent handed to staff", ["tenant"]
)
agent_fallbacks = Counter(
    "hotelagent_agent_fallbacks_total",
    "Agent replies saying it did not understand the guest, by hotel and the guest's language",
    ["tenant", "language"],
)
reply_latency = Histogram(
    "hotelagent_reply_latency_seconds",
    "Seconds from a guest message's arrival to the recorded send of its reply",
    ["channel"],
    buckets=(0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600),
)

#: The message types Meta documents; anything else is counted as "other", so a
#: new type cannot grow the series without bound.
MESSAGE_TYPES = frozenset({
    "text", "image", "audio", "video", "document", "sticker", "location", "contacts", "interactive",
    "button", "reaction", "order", "system", "unsupported",
})
SENT, FAILED = "sent", "failed"


def count_inbound(*, tenant: str, channel: str, message_type: str) -> None:
    kind = message_type if message_type in MESSAGE_TYPES else "other"
    inbound_messages.labels(tenant=tenant, channel=channel, type=kind).inc()


def count_reply(pk: int, channel: str, outcome: str, *, sent_at: datetime.datetime | None = None) -> None:
    """Reply `pk` reached its final outcome; with `sent_at`, also the time since
    its guest message arrived. One query (hotel and arrival); metrics never fail
    a send, so a database that fails here only loses this count."""
    from .models import OutboundMessage

    try:
        tenant, received_at = (
            OutboundMessage.objects.with_scopes_disabled().filter(pk=pk)
            .values_list("tenant__slug", "inbound__received_at").get()
        )
    except Exception:
        logger.warning("reply %s: outcome %s not counted", pk, outcome, exc_info=True)
        return
    replies.labels(tenant=tenant, channel=channel, outcome=outcome).inc()
    if sent_at is not None and received_at is not None:
        reply_latency.labels(channel=channel).observe((sent_at - received_at).total_seconds())


def count_web_replies(*, tenant: str, received_at: datetime.datetime, sent: int,
                      sent_at: datetime.datetime) -> None:
    """`sent` web-chat replies to a message that arrived at `received_at` went back in the response."""
    if sent:
        replies.labels(tenant=tenant, channel="web", outcome=SENT).inc(sent)
        for _ in range(sent):
            reply_latency.labels(channel="web").observe((sent_at - received_at).total_seconds())


class GraphAPICircuitCollector(ScrapeTimeCollector):
    name = "hotelagent_graph_api_circuit_state"
    documentation = "Graph API circuit breaker state: 0 closed, 1 half-open, 2 open (shared by every process)"
    clock = staticmethod(time.time)

    def samples(self):
        from .graph_circuit import graph_api_circuit

        circuit = graph_api_circuit()
        circuit.clock = self.clock
        return [([], int(circuit.state))]


graph_api_circuit_state = GraphAPICircuitCollector()
REGISTRY.register(graph_api_circuit_state)
