"""Late check-out: the guest asks (through the agent), staff decide (admin).

A reservation has at most one request waiting: asking again, say for a later
time, updates it, so staff never decide twice on the same stay. Every change is
audited in the hotel's chain inside the transaction that makes it.
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from security import audit

from ..models import LateCheckoutRequest, Reservation


def _resource(reservation: Reservation) -> str:
    return f"reservation:{reservation.code}"


def _time(value: datetime.time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def late_checkout_request_create(
    *, reservation: Reservation, requested_until: datetime.time | None, actor: str, note: str = "",
    ip_address: str | None = None,
) -> LateCheckoutRequest:
    """The reservation's pending request, created or updated with this time.
    Raises ValidationError for a cancelled stay or one already checked out."""
    tenant = reservation.tenant
    if reservation.status == Reservation.Status.CANCELLED:
        raise ValidationError({"reservation": [_("This reservation is cancelled.")]})
    if reservation.check_out < tenant.local_today():
        raise ValidationError({"reservation": [_("This stay has already ended.")]})
    with transaction.atomic():
        # Locking the reservation serializes two messages of the same guest, so
        # both cannot find no pending request and each create one.
        Reservation.objects.with_scope(tenant=tenant).select_for_update().filter(pk=reservation.pk).first()
        pending = (
            LateCheckoutRequest.objects.with_scope(tenant=tenant)
            .filter(reservation=reservation, status=LateCheckoutRequest.Status.PENDING)
            .first()
        )
        if pending is None:
            pending = LateCheckoutRequest.objects.with_scope(tenant=tenant).create(
                tenant=tenant, reservation=reservation, requested_until=requested_until, note=note,
            )
            action, previous = "late_checkout_requested", None
        else:
            previous = _time(pending.requested_until)
            pending.requested_until = requested_until
            if note:
                pending.note = note
            pending.save(update_fields=["requested_until", "note"])
            action = "late_checkout_updated"
        details = {"request": pending.pk, "requested_until": _time(requested_until),
                   "check_out": str(reservation.check_out)}
        if action == "late_checkout_updated":
            details["previous_until"] = previous
        audit.record(
            audit.Type.DATA_MODIFICATION, tenant=tenant, action=action, actor=actor, ip_address=ip_address,
            resource=_resource(reservation), details=details,
        )
    return pending


def late_checkout_request_decide(
    *, request: LateCheckoutRequest, approve: bool, user=None, actor: str, ip_address: str | None = None,
) -> bool:
    """Approve or decline a pending request; True when this call decided it (a
    request already decided is left as it is, so a double click changes nothing)."""
    tenant = request.tenant
    with transaction.atomic():
        row = (
            LateCheckoutRequest.objects.with_scope(tenant=tenant).select_for_update()
            .select_related("reservation").filter(pk=request.pk).first()
        )
        if row is None or row.status != LateCheckoutRequest.Status.PENDING:
            return False
        row.status = LateCheckoutRequest.Status.APPROVED if approve else LateCheckoutRequest.Status.DECLINED
        row.decided_at = timezone.now()
        row.decided_by = user
        row.save(update_fields=["status", "decided_at", "decided_by"])
        audit.record(
            audit.Type.DATA_MODIFICATION, tenant=tenant,
            action="late_checkout_approved" if approve else "late_checkout_declined",
            actor=actor, ip_address=ip_address, resource=_resource(row.reservation),
            details={"request": row.pk, "requested_until": _time(row.requested_until)},
        )
    request.status, request.decided_at, request.decided_by = row.status, row.decided_at, row.decided_by
    return True
