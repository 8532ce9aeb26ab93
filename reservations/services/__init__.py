from .booking import reservation_cancel, reservation_create
from .inventory import inventory_sync

__all__ = ["inventory_sync", "reservation_cancel", "reservation_create"]
