"""Reads. Every function takes the tenant explicitly and returns rows of that
tenant only."""
import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from security.validation import normalize_phone

from . import metrics, warm_copy
from .errors import PMSUnavailable
from .models import Reservation, RoomType
from .pms import get_adapter
from .pricing import Quote, quote_for
from .rules import validate_availability_query
from .snapshots import snapshot_offers, snapshot_store

# A stay that holds its room and is not over: booked, or the guest is in the house.
ACTIVE_STATUSES = (Reservation.Status.CONFIRMED, Reservation.Status.CHECKED_IN)


@dataclass(frozen=True)
class RoomTypeOffer:
    room_type: RoomType
    available: int
    quote: Quote


@dataclass(frozen=True)
class Availability:
    check_in: datetime.date
    check_out: datetime.date
    guests: int
    currency: str
    offers: list[RoomTypeOffer]
    # True when the PMS could not answer and this is the last known copy, true at `as_of`.
    degraded: bool = False
    as_of: datetime.datetime | None = None

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days


def room_types_for(*, tenant) -> QuerySet[RoomType]:
    return RoomType.objects.with_scope(tenant=tenant).all()


@dataclass(frozen=True)
class WarmConfig:
    """The hotel's warm configuration as read once (`generation` None: nothing
    of it is warm; `config` None: a miss). A conversation turn lists the room
    types and then checks a stay: reading it once is one cache round trip,
    not two."""

    generation: str | None
    config: warm_copy.HotelConfig | None


def warm_config(*, tenant) -> WarmConfig:
    return WarmConfig(*warm_copy.read_config(tenant))


def availability_for(
    *,
    tenant,
    check_in: datetime.date,
    check_out: datetime.date,
    guests: int,
    room_type: str | None = None,
    warm: WarmConfig | None = None,
) -> Availability:
    """Rooms free for the whole stay, with prices, for each room type that fits
    the party. The warm copy (reservations.warm_copy) answers first: the hotel's
    room types, and for one- and two-night stays each room type's rooms and rates.
    What it lacks costs two queries whatever the number of nights or room types
    (plus one to keep or read the last known copy of an external PMS).

    When the PMS is unavailable the answer comes from that copy, `degraded` and
    dated; without any copy PMSUnavailable propagates. `warm`: the caller's
    own read of the warm configuration, from warm_config."""
    validate_availability_query(
        today=tenant.local_today(), check_in=check_in, check_out=check_out, guests=guests
    )
    warm = warm or warm_config(tenant=tenant)
    generation, config = warm.generation, warm.config
    room_types = _room_types_for_party(tenant, config, guests, room_type)
    nights = (check_out - check_in).days
    stays = warm_copy.read_stays(tenant=tenant, generation=generation, room_types=room_types,
                                 check_in=check_in, nights=nights,
                                 warm_through=config.warm_through if config else None)
    as_of = None
    cold = [rt for rt in room_types if rt.id not in stays]
    if cold:
        offers_by_type, as_of = _nights_for(tenant, cold, check_in, check_out, guests)
        for rt in cold:
            nights_by_date = {offer.date: offer for offer in offers_by_type.get(rt.id, [])}
            stays[rt.id] = warm_copy.stay_offer(rt, nights_by_date, check_in, nights)
    offers = [
        RoomTypeOffer(rt, stays[rt.id].available, quote_for(stays[rt.id].nightly_rates, tenant.currency))
        for rt in room_types
    ]
    return Availability(check_in, check_out, guests, tenant.currency, offers,
                        degraded=as_of is not None, as_of=as_of)


def _room_types_for_party(tenant, config, guests: int, code: str | None) -> list[RoomType]:
    """The room types taking `guests` (only `code` when given), from the warm
    configuration when there is one. Raises ValidationError for an unknown code."""
    if config is None:
        room_types = room_types_for(tenant=tenant).filter(max_guests__gte=guests)
        if code:
            if not room_types_for(tenant=tenant).filter(code=code).exists():
                raise ValidationError({"room_type": [_("Unknown room type.")]})
            room_types = room_types.filter(code=code)
        return list(room_types)
    if code and code not in {rt.code for rt in config.room_types}:
        raise ValidationError({"room_type": [_("Unknown room type.")]})
    return [rt for rt in config.room_types if rt.max_guests >= guests and (not code or rt.code == code)]


def _nights_for(tenant, room_types, check_in, check_out, guests):
    """(offers by room type id, None) from the PMS, or (offers, as_of) from its last known copy."""
    adapter = get_adapter(tenant)
    try:
        offers_by_type = adapter.check_availability(
            tenant=tenant, room_types=room_types, check_in=check_in, check_out=check_out, guests=guests
        )
    except PMSUnavailable:
        if not adapter.keeps_snapshots:
            raise
        offers_by_type, as_of = snapshot_offers(
            tenant=tenant, room_types=room_types, check_in=check_in, check_out=check_out
        )
        if as_of is None:
            raise
        metrics.pms_degraded_answers.labels(tenant=tenant.slug).inc()
        return offers_by_type, as_of
    if adapter.keeps_snapshots:
        snapshot_store(tenant=tenant, offers_by_type=offers_by_type)
    return offers_by_type, None


def reservations_for(
    *,
    tenant,
    status: str | None = None,
    guest_email: str | None = None,
    check_in_from: datetime.date | None = None,
    check_in_to: datetime.date | None = None,
) -> QuerySet[Reservation]:
    reservations = Reservation.objects.with_scope(tenant=tenant).select_related("room_type", "tenant")
    if status:
        reservations = reservations.filter(status=status)
    if guest_email:
        reservations = reservations.filter(guest_email=guest_email.strip().lower())
    if check_in_from:
        reservations = reservations.filter(check_in__gte=check_in_from)
    if check_in_to:
        reservations = reservations.filter(check_in__lte=check_in_to)
    return reservations.order_by("-created_at", "-id")


def reservation_get(*, tenant, code: str) -> Reservation:
    """Raises Reservation.DoesNotExist for unknown codes and for other hotels' codes alike."""
    return reservations_for(tenant=tenant).get(code=code)


def hotel_room_types(*, tenant, warm: WarmConfig | None = None) -> list[RoomType]:
    """The hotel's room types in their usual order, from the warm copy when it has
    them (no query), else from the database."""
    config = (warm or warm_config(tenant=tenant)).config
    if config is not None:
        return list(config.room_types)
    return list(room_types_for(tenant=tenant))


# --- What a guest may see -------------------------------------------------------

def _same_phone(stored: str, phone: str, region: str) -> bool:
    if not stored or not phone:
        return False
    try:
        return normalize_phone(phone, region=region) == stored
    except ValidationError:
        return False


def guest_may_access(
    reservation: Reservation, *, phone: str = "", email: str = "", known_codes: Sequence[str] = ()
) -> bool:
    """Whether the person asking has shown the reservation is theirs: it was
    booked (or proven) in this conversation, the channel vouches for the phone on
    it, or they typed the email on it. A code alone proves nothing: codes are
    printed on confirmations, forwarded and overheard."""
    if reservation.code in known_codes:
        return True
    if _same_phone(reservation.guest_phone, phone, reservation.tenant.country):
        return True
    return bool(email) and email.strip().lower() == reservation.guest_email.strip().lower()


def guest_reservation(
    *, tenant, code: str, phone: str = "", email: str = "", known_codes: Sequence[str] = ()
) -> Reservation | None:
    """The reservation `code` when `guest_may_access` it; None for an unknown
    code, another hotel's code and someone else's reservation alike."""
    try:
        reservation = reservation_get(tenant=tenant, code=code)
    except Reservation.DoesNotExist:
        return None
    allowed = guest_may_access(reservation, phone=phone, email=email, known_codes=known_codes)
    return reservation if allowed else None


def guest_upcoming_reservations(
    *, tenant, phone: str, today: datetime.date, limit: int = 5
) -> list[Reservation]:
    """Active stays (confirmed or checked in) not yet over that were booked with
    this phone (the one the channel vouches for), soonest first: "cancel my
    booking" needs no code."""
    try:
        phone = normalize_phone(phone, region=tenant.country) if phone else ""
    except ValidationError:
        return []
    if not phone:
        return []
    return list(
        reservations_for(tenant=tenant)
        .filter(status__in=ACTIVE_STATUSES, guest_phone=phone, check_out__gte=today)
        .order_by("check_in", "id")[:limit]
    )
