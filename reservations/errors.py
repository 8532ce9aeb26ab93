"""Domain errors raised by the reservation services. Each edge (API, agent,
admin) maps them to its own language; the messages here are for staff and logs."""


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
