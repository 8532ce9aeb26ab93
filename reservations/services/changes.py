"""Changing a booked stay, and the stay's life at the front desk.

`reservation_change` moves a confirmed reservation to other dates, another room
type or another party size, and corrects its contact details and special
requests, under the same rules, locks and prices as reservation_create: the new
request is cleaned by rules.clean_booking_request, the guest locks of both the
old and the new contact are taken, the reservation row is locked, and the PMS
adapter frees the old nights and takes the new ones in one step. A change that
leaves the stay alone (contact details, special requests) never touches the
inventory or the price.

Check-in, check-out and no-show move the status forward, one valid step at a
time, each audited.
"""
import datetime
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from security import audit, locking
from security.blacklist import is_blacklisted

from .. import metrics, warm_copy
from ..errors import GuestNotAllowed, LimitReached, ReservationError
from ..models import Reservation
from ..pms import get_adapter
from ..pms.breaker import record_pending_audits
from ..pricing import quote_for
from ..rules import clean_booking_request
from .booking import NotChangeable, _room_type, active_reservation_count, give_back_rooms

STAY_FIELDS = ("check_in", "check_out", "room_type", "guests")
CONTACT_FIELDS = ("guest_name", "guest_email", "guest_phone", "special_requests")
CHANGEABLE = (*STAY_FIELDS, *CONTACT_FIELDS)


class InvalidTransition(ReservationError):
    code = "invalid_status_transition"

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _current(reservation: Reservation) -> dict:
    return {
        "check_in": reservation.check_in, "check_out": reservation.check_out,
        "room_type": reservation.room_type.code, "guests": reservation.guests,
        "guest_name": reservation.guest_name, "guest_email": reservation.guest_email,
        "guest_phone": reservation.guest_phone, "special_requests": reservation.special_requests,
    }


def _locked_reservation(tenant, code: str) -> Reservation:
    return (
        Reservation.objects.with_scope(tenant=tenant)
        .select_for_update(of=("self",))
        .select_related("room_type", "tenant")
        .get(code=code)
    )


def _clean(tenant, reservation: Reservation, wanted: dict):
    """(cleaned request, room type) for the reservation with `wanted` applied;
    ValidationError with every field's messages, as reservation_create gives them.
    The date rules judge only a stay that moves (dates or room type): correcting
    the name on a stay that began yesterday is still allowed."""
    errors: dict[str, list[str]] = {}
    booking = room = None
    try:
        booking = clean_booking_request(tenant=tenant, room_type_code=wanted["room_type"], **{
            field: wanted[field] for field in CHANGEABLE if field != "room_type"
        })
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        room = _room_type(tenant, wanted["room_type"], wanted["guests"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    stay = (wanted["room_type"], wanted["check_in"], wanted["check_out"])
    if stay == (reservation.room_type.code, reservation.check_in, reservation.check_out):
        errors.pop("check_in", None)
        errors.pop("check_out", None)
    if errors:
        raise ValidationError(errors)
    if booking is None:  # only the date rules of a stay that does not move failed
        today = tenant.local_today()
        booking = replace(clean_booking_request(
            tenant=tenant, room_type_code=wanted["room_type"], check_in=today,
            check_out=today + datetime.timedelta(days=1), guests=wanted["guests"],
            **{field: wanted[field] for field in CONTACT_FIELDS},
        ), check_in=wanted["check_in"], check_out=wanted["check_out"])
    return booking, room


def _audit_value(value):
    return value if isinstance(value, int | str) else str(value)


def reservation_change(
    *,
    tenant,
    code: str,
    source: str,
    actor: str = "",
    ip_address: str | None = None,
    client_reference: str = "",
    **changes,
) -> Reservation:
    """Change any of CHANGEABLE on a confirmed reservation. Raises
    Reservation.DoesNotExist (another hotel's code too), NotChangeable,
    ValidationError (field errors, as reservation_create), GuestNotAllowed,
    LimitReached (a new contact with too many stays), Unavailable (the old nights
    are kept), PMSUnavailable or Busy. Changing nothing returns the reservation as it is."""
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise TypeError(f"reservation_change() got unexpected fields: {sorted(unknown)}")
    changes = {field: value for field, value in changes.items() if value is not None}
    reservation = Reservation.objects.with_scope(tenant=tenant).select_related("room_type").get(code=code)
    if reservation.status != Reservation.Status.CONFIRMED:
        raise NotChangeable(reservation)
    # Cleaned once before any lock, so field errors cost no waiting and the new
    # contact's guest locks can be named; cleaned again on the locked row.
    booking, _room = _clean(tenant, reservation, {**_current(reservation), **changes})
    guests = {booking.guest_email, booking.guest_phone, reservation.guest_email, reservation.guest_phone}
    try:
        with locking.locked(*(f"{tenant.pk}:{contact}" for contact in sorted(guests))):
            reservation = _locked_reservation(tenant, code)
            if reservation.status != Reservation.Status.CONFIRMED:
                raise NotChangeable(reservation)
            before = _current(reservation)
            booking, room = _clean(tenant, reservation, {**before, **changes})
            _check_guest(tenant, reservation, booking)
            after = _apply(tenant, reservation, booking, room, client_reference)
            changed = [field for field in CHANGEABLE if before[field] != after[field]]
            if changed:
                audit.record(
                    audit.Type.DATA_MODIFICATION, tenant=tenant, action="reservation_changed", actor=actor,
                    ip_address=ip_address, resource=f"reservation:{reservation.code}",
                    details={
                        "source": source, "total": str(reservation.total), "currency": reservation.currency,
                        "before": {field: _audit_value(before[field]) for field in changed},
                        "after": {field: _audit_value(after[field]) for field in changed},
                    },
                    savepoint=False,  # a Busy from the hotel's chain rolls this whole block back
                )
    except (GuestNotAllowed, LimitReached) as error:
        metrics.reservations_refused.labels(tenant=tenant.slug, reason=error.code).inc()
        audit.record(
            audit.Type.ACCESS_DENIED, tenant=tenant, action="reservation_change_refused", actor=actor,
            ip_address=ip_address, resource=f"reservation:{code}",
            details={"reason": error.code, "source": source},
        )
        raise
    finally:
        record_pending_audits()  # PMS circuit changes the rollback would have taken with it
    return reservation


def _check_guest(tenant, reservation: Reservation, booking) -> None:
    """A new email or phone is a guest the hotel may refuse, or one at their limit."""
    same = (booking.guest_email, booking.guest_phone) == (reservation.guest_email, reservation.guest_phone)
    if same:
        return
    if is_blacklisted(tenant=tenant, email=booking.guest_email, phone=booking.guest_phone):
        raise GuestNotAllowed("Guest is not allowed to book.")
    active = active_reservation_count(
        tenant=tenant, email=booking.guest_email, phone=booking.guest_phone, excluding=reservation.pk,
    )
    if active >= tenant.max_active_reservations_per_guest:
        raise LimitReached(f"Guest already has {active} active reservations.")


def _apply(tenant, reservation: Reservation, booking, room, client_reference: str) -> dict:
    """Store the change on the locked row, moving the nights first when the stay moves."""
    old_stay = (reservation.room_type_id, reservation.check_in, reservation.check_out)
    new_stay = (room.pk, booking.check_in, booking.check_out)
    fields = ["guest_name", "guest_email", "guest_phone", "special_requests", "guests", "updated_at"]
    if new_stay != old_stay:
        stay = get_adapter(tenant).change_reservation(
            reservation=reservation, room_type=room, check_in=booking.check_in, check_out=booking.check_out,
            booking=booking, client_reference=client_reference,
        )
        quote = quote_for(stay.nightly_rates, tenant.currency)
        reservation.room_type, reservation.check_in, reservation.check_out = room, *new_stay[1:]
        reservation.nights = quote.nights
        reservation.nightly_rates = [str(rate) for rate in quote.nightly_rates]
        reservation.subtotal, reservation.discount_rate = quote.subtotal, quote.discount_rate
        reservation.total, reservation.currency = quote.total, quote.currency
        reservation.external_reference = stay.external_reference or reservation.external_reference
        fields += ["room_type", "check_in", "check_out", "nights", "nightly_rates", "subtotal",
                   "discount_rate", "total", "currency", "external_reference"]
        for room_type_id, check_in, check_out in (old_stay, new_stay):
            warm_copy.stay_changed(tenant_id=tenant.pk, room_type_id=room_type_id,
                                   check_in=check_in, check_out=check_out)
    for field in ("guest_name", "guest_email", "guest_phone", "special_requests", "guests"):
        setattr(reservation, field, getattr(booking, field))
    reservation.save(update_fields=fields)
    return _current(reservation)


# --- The stay at the front desk ---------------------------------------------------

TRANSITIONS = {
    # new status: (the only status it is reached from, the status it sets)
    "checked_in": (Reservation.Status.CONFIRMED, Reservation.Status.CHECKED_IN),
    "checked_out": (Reservation.Status.CHECKED_IN, Reservation.Status.CHECKED_OUT),
    "no_show": (Reservation.Status.CONFIRMED, Reservation.Status.NO_SHOW),
}
TRANSITION_REFUSED = {
    "checked_in": gettext_lazy("Only a confirmed reservation can be checked in."),
    "checked_out": gettext_lazy("Only a checked-in guest can be checked out."),
    "no_show": gettext_lazy("Only a confirmed reservation can be marked as a no-show."),
}
TOO_EARLY = {
    "checked_in": gettext_lazy("A guest can be checked in from the check-in day (%(day)s)."),
    "no_show": gettext_lazy("A reservation can be marked as a no-show from the check-in day (%(day)s)."),
}


def _move(*, tenant, code: str, to: str, actor: str, ip_address: str | None,
          frees_rooms: bool = False) -> Reservation:
    origin, target = TRANSITIONS[to]
    with locking.locked():
        reservation = _locked_reservation(tenant, code)
        if reservation.status != origin:
            raise InvalidTransition(str(TRANSITION_REFUSED[to]))
        today = tenant.local_today()
        if to in TOO_EARLY and today < reservation.check_in:
            raise InvalidTransition(str(TOO_EARLY[to]) % {"day": reservation.check_in.isoformat()})
        details = {"before": {"status": origin.value}, "after": {"status": target.value}}
        if frees_rooms and today < reservation.check_out:
            give_back_rooms(reservation, from_day=today)
            details["rooms_released_from"] = str(today)
        reservation.status = target
        reservation.save(update_fields=["status", "updated_at"])
        audit.record(
            audit.Type.DATA_MODIFICATION, tenant=tenant, action=f"reservation_{to}", actor=actor,
            ip_address=ip_address, resource=f"reservation:{reservation.code}", details=details,
            savepoint=False,  # a Busy from the hotel's chain rolls this whole block back
        )
    return reservation


def reservation_check_in(*, tenant, code: str, actor: str = "", ip_address: str | None = None) -> Reservation:
    """Confirmed → checked in, on or after the check-in day. Raises InvalidTransition."""
    return _move(tenant=tenant, code=code, to="checked_in", actor=actor, ip_address=ip_address)


def reservation_check_out(
    *, tenant, code: str, actor: str = "", ip_address: str | None = None
) -> Reservation:
    """Checked in → checked out. Raises InvalidTransition."""
    return _move(tenant=tenant, code=code, to="checked_out", actor=actor, ip_address=ip_address)


def reservation_mark_no_show(
    *, tenant, code: str, actor: str = "", ip_address: str | None = None
) -> Reservation:
    """Confirmed → no-show, on or after the check-in day. The guest is not coming,
    so tonight and the later nights go back on sale (a walk-in can have the room);
    the nights already past stay counted. What the no-show pays is billing's
    business, not the inventory's."""
    return _move(tenant=tenant, code=code, to="no_show", actor=actor, ip_address=ip_address,
                 frees_rooms=True)
