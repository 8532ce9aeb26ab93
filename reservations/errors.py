"""Domain errors raised by the reservation services. Each edge (API, agent,
admin) maps them to its own language; the messages here are for staff and logs.

`Busy` (code "busy": a lock was not granted within LOCK_TIMEOUT_SECONDS, nothing
changed, try again) comes from security.locking, since the audit chain and the
secret store give up the same way; it is re-exported here with the others."""
from security.locking import Busy

__all__ = [
    "Busy", "GuestNotAllowed", "LimitReached", "PMSRejected", "PMSUnavailable", "ReservationError",
    "Unavailable", "UnknownRoomType",
]


class ReservationError(Exception):
    code = "reservation_error"


class Unavailable(ReservationError):
    code = "unavailable"


class GuestNotAllowed(ReservationError):
    code = "guest_not_allowed"


class LimitReached(ReservationError):
    code = "active_reservation_limit"


class UnknownRoomType(ReservationError):
    code = "unknown_room_type"


class PMSUnavailable(ReservationError):
    """The hotel's property-management system cannot answer right now: its circuit
    is open, too many calls are already waiting for it, it timed out, failed or
    answered nonsense. Reads fall back to the last known copy; bookings wait as a
    PendingBooking (agent) or get 503 + Retry-After (API)."""

    code = "pms_unavailable"
    default_retry_after = 30

    def __init__(self, message: str = "", *, retry_after: int | None = None):
        super().__init__(message or "The PMS is unavailable.")
        self.retry_after = max(1, int(retry_after if retry_after is not None else self.default_retry_after))


class PMSRejected(ReservationError):
    """The PMS refused the request itself (a 4xx that is not about availability):
    a configuration problem such as an unmapped room type, not an outage."""

    code = "pms_rejected"
