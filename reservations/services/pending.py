"""Bookings accepted while the hotel's PMS was unavailable.

A request that passed every rule but could not reach the PMS is kept as a
PendingBooking instead of being dropped; the guest is told it will be confirmed
as soon as the system is back. `pending_booking_retry` books it later through
reservation_create, so every rule is checked again (the room may be gone, the
dates may have passed), and the outcome is announced with the
`pending_booking_resolved` signal. The client reference travels with every
attempt, so a PMS that did receive an earlier attempt is not asked twice.
"""
import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from security import audit

from ..errors import Busy, PMSUnavailable, ReservationError
from ..models import PendingBooking
from ..signals import pending_booking_resolved
from .booking import reservation_create

logger = logging.getLogger(__name__)

Status = PendingBooking.Status


def pending_booking_create(
    *,
    tenant,
    client_reference: str,
    source: str,
    notify: dict,
    room_type: str,
    check_in: datetime.date,
    check_out: datetime.date,
    guests: int,
    guest_name: str,
    guest_email: str,
    guest_phone: str,
    special_requests: str = "",
    actor: str = "",
) -> PendingBooking:
    """Keep a booking to retry; the same client reference twice keeps one."""
    request = {
        "room_type": room_type, "check_in": check_in.isoformat(), "check_out": check_out.isoformat(),
        "guests": guests, "guest_name": guest_name, "guest_email": guest_email, "guest_phone": guest_phone,
        "special_requests": special_requests, "actor": actor,
    }
    with transaction.atomic():
        pending, created = PendingBooking.objects.with_scope(tenant=tenant).get_or_create(
            client_reference=client_reference,
            defaults={"tenant": tenant, "request": request, "source": source, "notify": notify},
        )
        if created:
            audit.record(
                audit.Type.DATA_MODIFICATION, tenant=tenant, action="reservation_deferred", actor=actor,
                resource=f"pending_booking:{client_reference}",
                details={"source": source, "room_type": room_type, "check_in": request["check_in"],
                         "check_out": request["check_out"]},
            )
    return pending


def _book(pending: PendingBooking):
    request = pending.request
    return reservation_create(
        tenant=pending.tenant, room_type=request["room_type"],
        check_in=datetime.date.fromisoformat(request["check_in"]),
        check_out=datetime.date.fromisoformat(request["check_out"]),
        guests=request["guests"], guest_name=request["guest_name"], guest_email=request["guest_email"],
        guest_phone=request["guest_phone"], special_requests=request.get("special_requests", ""),
        source=pending.source, actor=request.get("actor", ""), client_reference=pending.client_reference,
    )


def pending_booking_retry(*, pending_id: int) -> str:
    """Try one pending booking again: "confirmed", "rejected", "pending" (the PMS
    is still unavailable), "busy" (a lock it needs was held too long; it stays
    pending) or "skipped" (settled, or another worker has it)."""
    with transaction.atomic():
        pending = (
            PendingBooking.objects.with_scopes_disabled()
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("tenant")
            .filter(pk=pending_id, status=Status.PENDING)
            .first()
        )
        if pending is None:
            return "skipped"
        pending.attempts += 1
        reservation, reason = None, ""
        try:
            reservation = _book(pending)
        except (PMSUnavailable, Busy) as error:
            pending.last_error = f"{type(error).__name__}: {error}"[:2000]
            pending.save(update_fields=["attempts", "last_error", "updated_at"])
            return "busy" if isinstance(error, Busy) else "pending"
        except ValidationError as error:
            reason, pending.last_error = "invalid", "; ".join(error.messages)[:2000]
        except ReservationError as error:
            reason, pending.last_error = error.code, f"{type(error).__name__}: {error}"[:2000]
        pending.status = Status.REJECTED if reservation is None else Status.CONFIRMED
        pending.reservation = reservation
        pending.save(update_fields=["status", "reservation", "attempts", "last_error", "updated_at"])
        logger.info("pending booking %s %s after %d attempts%s", pending.client_reference, pending.status,
                    pending.attempts, f" ({reason})" if reason else "")
        pending_booking_resolved.send(
            sender=PendingBooking, pending_booking=pending, reservation=reservation, reason=reason
        )
    return pending.status
