"""The booking and availability rules of the seed guide, judged on the hotel's
local calendar. They raise Django ValidationError keyed by field, which the API
turns into `{"field": ["message"]}` and the agent into a sentence."""
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from security.validation import normalize_email, normalize_phone, sanitize_text

MAX_BOOKING_ADVANCE_DAYS = 365
MAX_AVAILABILITY_ADVANCE_DAYS = 730
MAX_NIGHTS = 90
MIN_GUESTS, MAX_GUESTS = 1, 10
SPECIAL_REQUESTS_MAX_LENGTH = 1000
GUEST_NAME_MAX_LENGTH = 150


def _check_stay(errors: dict, *, today, check_in, check_out, max_advance_days: int) -> None:
    if check_in < today:
        errors.setdefault("check_in", []).append(_("Check-in cannot be in the past."))
    elif (check_in - today).days > max_advance_days:
        errors.setdefault("check_in", []).append(
            _("Check-in can be at most %(days)d days ahead.") % {"days": max_advance_days}
        )
    nights = (check_out - check_in).days
    if nights < 1:
        errors.setdefault("check_out", []).append(_("Check-out must be after check-in."))
    elif nights > MAX_NIGHTS:
        errors.setdefault("check_out", []).append(
            _("A stay can be at most %(nights)d nights.") % {"nights": MAX_NIGHTS}
        )


def _check_guests(errors: dict, guests: int) -> None:
    if not MIN_GUESTS <= guests <= MAX_GUESTS:
        errors.setdefault("guests", []).append(
            _("Guests must be between %(min)d and %(max)d.") % {"min": MIN_GUESTS, "max": MAX_GUESTS}
        )


def validate_availability_query(
    *, today: datetime.date, check_in: datetime.date, check_out: datetime.date, guests: int
) -> None:
    errors: dict[str, list[str]] = {}
    _check_stay(errors, today=today, check_in=check_in, check_out=check_out,
                max_advance_days=MAX_AVAILABILITY_ADVANCE_DAYS)
    _check_guests(errors, guests)
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class BookingRequest:
    """A reservation request whose fields passed every rule and are normalized."""

    room_type_code: str
    check_in: datetime.date
    check_out: datetime.date
    guests: int
    guest_name: str
    guest_email: str
    guest_phone: str
    special_requests: str

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days


def clean_booking_request(
    *,
    tenant,
    room_type_code: str,
    check_in: datetime.date,
    check_out: datetime.date,
    guests: int,
    guest_name: str,
    guest_email: str,
    guest_phone: str,
    special_requests: str = "",
) -> BookingRequest:
    errors: dict[str, list[str]] = {}
    _check_stay(errors, today=tenant.local_today(), check_in=check_in, check_out=check_out,
                max_advance_days=MAX_BOOKING_ADVANCE_DAYS)
    _check_guests(errors, guests)
    raw = {
        "guest_name": guest_name, "guest_email": guest_email,
        "guest_phone": guest_phone, "special_requests": special_requests,
    }
    cleaned: dict[str, str] = {}
    for field, clean in (
        ("guest_name", lambda v: sanitize_text(v, max_length=GUEST_NAME_MAX_LENGTH)),
        ("guest_email", normalize_email),
        ("guest_phone", lambda v: normalize_phone(v, region=tenant.country)),
        ("special_requests",
         lambda v: sanitize_text(v, max_length=SPECIAL_REQUESTS_MAX_LENGTH)),
    ):
        try:
            cleaned[field] = clean(raw[field])
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)
    if "guest_name" in cleaned and not cleaned["guest_name"]:
        errors.setdefault("guest_name", []).append(_("This field may not be blank."))
    if errors:
        raise ValidationError(errors)
    return BookingRequest(
        room_type_code=room_type_code, check_in=check_in, check_out=check_out, guests=guests,
        **cleaned,
    )
