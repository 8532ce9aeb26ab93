from .booking import reservation_cancel, reservation_create
from .inventory import inventory_sync
from .pending import pending_booking_create, pending_booking_retry

__all__ = [
    "inventory_sync", "pending_booking_create", "pending_booking_retry", "reservation_cancel",
    "reservation_create",
]
