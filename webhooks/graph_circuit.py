"""One circuit for Meta's Graph API, shared by every process through the cache.

During an outage each reply would otherwise spend its own attempts against an
API that is down; with the circuit open, replies are postponed to the trial
time instead, one process makes the trial call, and everything goes again once
Meta answers. Only what says "Meta is not answering" counts: timeouts,
connection errors, 5xx. A 429 or any other 4xx is an answer (Retry-After is
honoured per reply); a per-hotel fault must not stop every hotel's replies.
"""
import logging

import httpx
from django.conf import settings

from security.circuit import SharedCircuit, State

from . import metrics  # noqa: F401 - registers the scrape-time circuit gauge

logger = logging.getLogger(__name__)


class GraphAPIUnavailable(httpx.HTTPError):
    """Meta answered with a server error: the call counts against the circuit."""

    def __init__(self, answer: httpx.Response):
        super().__init__(f"Graph API answered HTTP {answer.status_code}")
        self.answer = answer


class GraphAPICircuit(SharedCircuit):
    action_prefix = "graph_api_circuit"

    def __init__(self):
        super().__init__(
            key="graph-api-circuit",
            failure_threshold=settings.WHATSAPP_CIRCUIT_FAILURE_THRESHOLD,
            recovery_timeout=settings.WHATSAPP_CIRCUIT_RECOVERY_SECONDS,
            # One call, its connect/read/write phases each bounded by the timeout.
            trial_timeout=3 * settings.WHATSAPP_SEND_TIMEOUT + 1,
        )

    def __repr__(self) -> str:
        return "<GraphAPICircuit>"

    def counts_as_failure(self, error: BaseException) -> bool:
        return isinstance(error, httpx.HTTPError)

    def _changed(self, state: State, action: str, **details) -> None:
        log = logger.warning if state == State.OPEN else logger.info
        log("Graph API circuit is %s (%s) %s", state.label, action, details or "")


def graph_api_circuit() -> GraphAPICircuit:
    return GraphAPICircuit()
