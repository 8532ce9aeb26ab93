"""Why a call to an external PMS did not happen or did not work. Each is a
PMSUnavailable, so the selectors, the agent and the API degrade the same way
whatever the cause; the breaker only counts `PMSCallFailed`."""
from ..errors import PMSRejected, PMSUnavailable

__all__ = [
    "BulkheadFull", "CircuitOpen", "PMSCallFailed", "PMSNotConfigured", "PMSRejected", "PMSUnavailable",
]


class CircuitOpen(PMSUnavailable):
    """The breaker refused the call without trying: the PMS failed recently."""


class BulkheadFull(PMSUnavailable):
    """This process already has its maximum of calls in flight and waiting for this PMS."""

    default_retry_after = 5


class PMSCallFailed(PMSUnavailable):
    """The call was made and failed: timeout, refused or dropped connection, 5xx,
    401/403/429, or a body that is not what the API promises. Counts as a failure."""


class PMSNotConfigured(PMSUnavailable):
    """The tenant says QloApps but lacks its URL, hotel id or webservice key."""

    default_retry_after = 300
