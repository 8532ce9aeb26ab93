from .booking import NotChangeable, reservation_cancel, reservation_create
from .changes import (
    InvalidTransition,
    reservation_change,
    reservation_check_in,
    reservation_check_out,
    reservation_mark_no_show,
)
from .inventory import inventory_sync
from .pending import pending_booking_create, pending_booking_retry

__all__ = [
    "InvalidTransition", "NotChangeable", "inventory_sync", "pending_booking_create", "pending_booking_retry",
    "reservation_cancel", "reservation_change", "reservation_check_in", "reservation_check_out",
    "reservation_create", "reservation_mark_no_show",
]
