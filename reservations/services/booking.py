"""Booking and cancelling: the one place the reservation rules are applied.

The API, the WhatsApp agent, the admin and guest links all call these functions.
Refusals are audited outside the booking transaction so the audit row survives
the rollback; successful changes are audited inside it so the two commit together.
"""
import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from security import audit, locking
from security.blacklist import is_blacklisted
from security.inserts import insert_unless_conflict

from .. import metrics, warm_copy
from ..errors import GuestNotAllowed, LimitReached, ReservationError
from ..models import Reservation, RoomType
from ..pms import get_adapter
from ..pms.breaker import record_pending_audits
from ..pricing import quote_for
from ..rules import BookingRequest, clean_booking_request
from ..selectors import ACTIVE_STATUSES

logger = logging.getLogger(__name__)


def _guest_locks(tenant, booking: BookingRequest) -> tuple[str, str]:
    """What a booking locks first, so two concurrent requests of one guest cannot
    both pass the active-reservation limit: the guest's email and phone at this hotel."""
    return f"{tenant.pk}:{booking.guest_email}", f"{tenant.pk}:{booking.guest_phone}"


class NotChangeable(ReservationError):
    """Only a confirmed reservation can be changed or cancelled: a checked-in guest
    is at the desk, a stay that ended or was cancelled is over. `message` says so
    to staff and API clients."""

    code = "reservation_not_changeable"

    def __init__(self, reservation: Reservation):
        self.status = reservation.status
        self.message = _("Reservation %(code)s is %(status)s and can no longer be changed.") % {
            "code": reservation.code, "status": reservation.get_status_display().lower(),
        }
        super().__init__(self.message)


def active_reservation_count(*, tenant, email: str, phone: str, excluding: int | None = None) -> int:
    """Stays of this guest not over yet (confirmed or checked in), but `excluding`."""
    return (
        Reservation.objects.with_scope(tenant=tenant)
        .filter(Q(guest_email=email) | Q(guest_phone=phone), status__in=ACTIVE_STATUSES,
                check_out__gt=tenant.local_today())
        .exclude(pk=excluding)
        .count()
    )


def _room_type(tenant, code: str, guests: int) -> RoomType:
    room_type = RoomType.objects.with_scope(tenant=tenant).filter(code=code).first()
    if room_type is None:
        raise ValidationError({"room_type": [_("Unknown room type.")]})
    if guests > room_type.max_guests:
        raise ValidationError({"guests": [
            _("This room type takes at most %(max)d guests.") % {"max": room_type.max_guests}
        ]})
    return room_type


def _refuse(error, *, tenant, booking, actor, ip_address, source):
    metrics.reservations_refused.labels(tenant=tenant.slug, reason=error.code).inc()
    audit.record(
        audit.Type.ACCESS_DENIED, tenant=tenant, action="reservation_refused", actor=actor,
        ip_address=ip_address, resource=f"room_type:{booking.room_type_code}",
        details={"reason": error.code, "source": source, "guest_email": booking.guest_email,
                 "guest_phone": booking.guest_phone},
    )
    raise error


def reservation_create(
    *,
    tenant,
    room_type: str,
    check_in: datetime.date,
    check_out: datetime.date,
    guests: int,
    guest_name: str,
    guest_email: str,
    guest_phone: str,
    special_requests: str = "",
    source: str,
    actor: str = "",
    ip_address: str | None = None,
    client_reference: str = "",
) -> Reservation:
    """Book one room. Raises ValidationError (field errors), GuestNotAllowed,
    LimitReached, Unavailable, PMSUnavailable (the hotel's external PMS cannot
    take it now; every rule has passed) or Busy (another request of this guest,
    or for these nights, held its lock too long; nothing was booked).
    `client_reference` names this booking across retries, so an external PMS
    recognises a booking it already made."""
    errors: dict[str, list[str]] = {}
    try:
        booking = clean_booking_request(
            tenant=tenant, room_type_code=room_type, check_in=check_in, check_out=check_out,
            guests=guests, guest_name=guest_name, guest_email=guest_email,
            guest_phone=guest_phone, special_requests=special_requests,
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        room = _room_type(tenant, room_type, guests)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    refusal = dict(tenant=tenant, booking=booking, actor=actor, ip_address=ip_address, source=source)
    if is_blacklisted(tenant=tenant, email=booking.guest_email, phone=booking.guest_phone):
        _refuse(GuestNotAllowed("Guest is not allowed to book."), **refusal)
    try:
        # The lock timeout set here also bounds the inventory rows' SELECT … FOR UPDATE.
        with locking.locked(*_guest_locks(tenant, booking)):
            active = active_reservation_count(
                tenant=tenant, email=booking.guest_email, phone=booking.guest_phone
            )
            if active >= tenant.max_active_reservations_per_guest:
                raise LimitReached(f"Guest already has {active} active reservations.")
            stay = get_adapter(tenant).create_reservation(
                tenant=tenant, room_type=room, check_in=booking.check_in, check_out=booking.check_out,
                booking=booking, client_reference=client_reference,
            )
            quote = quote_for(stay.nightly_rates, tenant.currency)
            reservation = _insert_with_fresh_code(
                tenant=tenant, room_type=room, booking=booking, quote=quote, source=source,
                external_reference=stay.external_reference,
            )
            audit.record(
                audit.Type.DATA_MODIFICATION, tenant=tenant, action="reservation_created",
                actor=actor, ip_address=ip_address, resource=f"reservation:{reservation.code}",
                details={"source": source, "room_type": room.code, "nights": quote.nights,
                         "total": str(quote.total), "currency": quote.currency},
                savepoint=False,  # a Busy from the hotel's chain rolls this whole block back
            )
            transaction.on_commit(lambda: _count_created(reservation))
            warm_copy.stay_changed(tenant_id=tenant.pk, room_type_id=room.pk,
                                   check_in=booking.check_in, check_out=booking.check_out)
    except LimitReached as error:
        _refuse(error, **refusal)
    finally:
        record_pending_audits()  # PMS circuit changes the rollback would have taken with it
    return reservation


def _insert_with_fresh_code(*, tenant, room_type, booking, quote, source, external_reference):
    """The reservation, under a code no other holds. A collision is all but
    impossible, so it costs no savepoint: the code's unique constraint (the
    only one the table has) turns one into no row inserted, and a new code is
    drawn."""
    for attempt in range(5):
        reservation = Reservation(
            tenant=tenant, room_type=room_type, guest_name=booking.guest_name,
            guest_email=booking.guest_email, guest_phone=booking.guest_phone,
            guests=booking.guests, check_in=booking.check_in, check_out=booking.check_out,
            nights=quote.nights, nightly_rates=[str(rate) for rate in quote.nightly_rates],
            subtotal=quote.subtotal, discount_rate=quote.discount_rate, total=quote.total,
            currency=quote.currency, source=source,
            special_requests=booking.special_requests,
            external_reference=external_reference,
        )
        if insert_unless_conflict(reservation):
            return reservation
        logger.warning("reservation code collision, attempt %d", attempt + 1)
    raise IntegrityError("Could not allocate a unique reservation code.")


def _count_created(reservation: Reservation) -> None:
    metrics.reservations_created.labels(
        tenant=reservation.tenant.slug, room_type=reservation.room_type.code,
        source=reservation.source,
    ).inc()
    metrics.reservation_value.labels(
        tenant=reservation.tenant.slug, currency=reservation.currency
    ).observe(float(reservation.total))
    metrics.reservation_revenue.labels(
        tenant=reservation.tenant.slug, room_type=reservation.room_type.code,
        source=reservation.source, currency=reservation.currency,
    ).inc(float(reservation.total))


def give_back_rooms(reservation: Reservation, *, from_day: datetime.date) -> None:
    """The reservation's nights from `from_day` on back on sale, at its PMS and
    in the warm copy: all of them for a cancellation, tonight's and later for a
    no-show. The caller holds the reservation's row lock."""
    get_adapter(reservation.tenant).release_from(reservation=reservation, day=from_day)
    warm_copy.stay_changed(tenant_id=reservation.tenant_id, room_type_id=reservation.room_type_id,
                           check_in=from_day, check_out=reservation.check_out)


def reservation_cancel(
    *, tenant, code: str, source: str, actor: str = "", ip_address: str | None = None
) -> Reservation:
    """Cancel and give the rooms back. Cancelling twice is a no-op, so clients
    can retry safely. Raises Reservation.DoesNotExist for another hotel's code,
    NotChangeable once the guest has checked in (or the stay is over), or Busy
    when the reservation or its nights stayed locked too long."""
    with locking.locked():
        reservation = (
            Reservation.objects.with_scope(tenant=tenant)
            .select_for_update(of=("self",))
            .select_related("room_type", "tenant")
            .get(code=code)
        )
        if reservation.status == Reservation.Status.CANCELLED:
            return reservation
        if reservation.status != Reservation.Status.CONFIRMED:
            raise NotChangeable(reservation)
        give_back_rooms(reservation, from_day=reservation.check_in)
        reservation.status = Reservation.Status.CANCELLED
        reservation.cancelled_at = timezone.now()
        reservation.save(update_fields=["status", "cancelled_at", "updated_at"])
        audit.record(
            audit.Type.DATA_MODIFICATION, tenant=tenant, action="reservation_cancelled",
            actor=actor, ip_address=ip_address, resource=f"reservation:{reservation.code}",
            details={"room_type": reservation.room_type.code, "check_in": str(reservation.check_in),
                     "source": source},
            savepoint=False,  # a Busy from the hotel's chain rolls this whole block back
        )
        transaction.on_commit(
            lambda: metrics.reservations_cancelled.labels(tenant=tenant.slug).inc()
        )
    return reservation
