"""Signals other apps listen to; reservations never imports them back."""
from django.dispatch import Signal

# Sent inside the transaction that settles a PendingBooking, with the keyword
# arguments `pending_booking`, `reservation` (None when it could not be made) and
# `reason` ("" when confirmed, else the refusal's code: "unavailable",
# "invalid", "guest_not_allowed"…). A receiver that tells the guest writes its
# message in that same transaction, so the outcome and the message commit together.
pending_booking_resolved = Signal()
