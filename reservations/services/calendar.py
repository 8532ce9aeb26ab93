"""The availability calendar: the hotel's nights read as a grid (room type × night)
and edited a night or a range at a time — a rate override set or cleared, a night
closed to sale (stop-sell: its rooms and bookings stay, nothing more is sold) or
opened again.

Edits lock the nights they change (SELECT … FOR UPDATE in date order, the order
bookings use, under LOCK_TIMEOUT_SECONDS), so a booking and a closing never
cross; the booking re-checks `closed` under its own locks. Each edit of a room
type is one audit event naming the nights and what they were before, and the
warm copy forgets those nights when the edit commits.
"""
import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from security import audit, locking

from .. import warm_copy
from ..models import NightlyInventory, RoomType

DAY = datetime.timedelta(days=1)
PAGE_NIGHTS = 60
MAX_RATE = Decimal("100000.00")  # far above any room's night; a typo of a few zeros is refused
MAX_RANGE_NIGHTS = 366


class Action:
    SET_RATE = "set_rate"
    CLEAR_RATE = "clear_rate"
    CLOSE = "close"
    OPEN = "open"
    CHOICES = (SET_RATE, CLEAR_RATE, CLOSE, OPEN)


# --- reading the grid -------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    date: datetime.date
    rooms_total: int
    rooms_booked: int
    rate: Decimal
    rate_override: Decimal | None
    closed: bool

    @property
    def rooms_left(self) -> int:
        return max(self.rooms_total - self.rooms_booked, 0)

    @property
    def sells(self) -> int:
        """Rooms a guest could still book that night."""
        return 0 if self.closed else self.rooms_left


@dataclass(frozen=True)
class CalendarRow:
    room_type: RoomType
    cells: list[Cell | None]  # one per night of the page; None: the night is not opened


@dataclass(frozen=True)
class Calendar:
    first: datetime.date
    nights: list[datetime.date]
    rows: list[CalendarRow] = field(default_factory=list)
    currency: str = ""


def calendar_page_start(*, tenant, start: datetime.date | None) -> datetime.date:
    """The first night of a page: `start` when given, never before the hotel's today."""
    today = tenant.local_today()
    return max(start or today, today)


def calendar_for(*, tenant, first: datetime.date, nights: int = PAGE_NIGHTS) -> Calendar:
    """Each room type's nights from `first`: two queries whatever the number of
    room types and nights."""
    dates = [first + DAY * offset for offset in range(nights)]
    room_types = list(RoomType.objects.with_scope(tenant=tenant).all())
    by_room_type: dict[int, dict[datetime.date, Cell]] = {rt.pk: {} for rt in room_types}
    base_rates = {rt.pk: rt.base_rate for rt in room_types}
    rows = (
        NightlyInventory.objects.with_scope(tenant=tenant)
        .filter(room_type_id__in=base_rates, date__gte=first, date__lt=first + DAY * nights)
        .values_list("room_type_id", "date", "rooms_total", "rooms_booked", "rate_override", "closed")
    )
    for room_type_id, date, total, booked, override, closed in rows:
        rate = override if override is not None else base_rates[room_type_id]
        by_room_type[room_type_id][date] = Cell(date, total, booked, rate, override, closed)
    return Calendar(
        first=first, nights=dates, currency=tenant.currency,
        rows=[CalendarRow(rt, [by_room_type[rt.pk].get(day) for day in dates]) for rt in room_types],
    )


# --- editing ------------------------------------------------------------------------

def clean_rate(value) -> Decimal:
    """A rate override as staff typed it ("150", "149.50"), or ValidationError."""
    try:
        rate = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({"rate": [_("Enter a number, such as 150 or 149.50.")]}) from None
    if not rate.is_finite():
        raise ValidationError({"rate": [_("Enter a number, such as 150 or 149.50.")]})
    if rate < 0:
        raise ValidationError({"rate": [_("A rate cannot be negative.")]})
    if rate > MAX_RATE:
        raise ValidationError({"rate": [_("A rate cannot be above %(max)s.") % {"max": MAX_RATE}]})
    if rate != rate.quantize(Decimal("0.01")):
        raise ValidationError({"rate": [_("A rate has at most two decimals.")]})
    return rate.quantize(Decimal("0.01"))


def dates_between(first: datetime.date, last: datetime.date, weekdays=()) -> list[datetime.date]:
    """The nights from `first` to `last` inclusive, only on `weekdays` (0 = Monday)
    when any are given. Raises ValidationError for a backwards or too long range."""
    if last < first:
        raise ValidationError({"last": [_("The last night cannot be before the first.")]})
    if (last - first).days >= MAX_RANGE_NIGHTS:
        raise ValidationError({"last": [
            _("At most %(max)d nights at a time.") % {"max": MAX_RANGE_NIGHTS}
        ]})
    wanted = {int(day) for day in weekdays}
    days = [first + DAY * offset for offset in range((last - first).days + 1)]
    dates = [day for day in days if not wanted or day.weekday() in wanted]
    if not dates:
        raise ValidationError({"weekdays": [_("None of these nights falls on the chosen weekdays.")]})
    return dates


def _changes(*, rate, clear_rate, closed) -> dict:
    """The fields to write, or ValidationError when the request names none or contradicts itself."""
    if rate is not None and clear_rate:
        raise ValidationError({"rate": [_("Set a rate or clear it, not both.")]})
    changes = {}
    if rate is not None:
        changes["rate_override"] = clean_rate(rate)
    if clear_rate:
        changes["rate_override"] = None
    if closed is not None:
        changes["closed"] = bool(closed)
    if not changes:
        raise ValidationError({"action": [_("Choose what to change.")]})
    return changes


def _summary(values) -> dict[str, int]:
    """{value: how many nights had it}, for the audit event's "before"."""
    return dict(Counter("" if value is None else str(value) for value in values))


@transaction.atomic
def inventory_update(
    *, tenant, room_type: RoomType, dates, rate=None, clear_rate: bool = False, closed: bool | None = None,
    actor: str, ip_address: str | None = None,
) -> int:
    """Set (`rate`) or clear (`clear_rate`) the rate override of these nights of
    `room_type`, and/or close (`closed=True`) or open them. Returns how many
    nights changed.

    Raises ValidationError (field errors: rate, dates, room_type, action) when
    the room type is not the hotel's, a night is past or not opened yet, or the
    rate is not a sane amount; Busy when a booking held the nights too long."""
    if room_type.tenant_id != tenant.pk:
        raise ValidationError({"room_type": [_("Unknown room type.")]})
    changes = _changes(rate=rate, clear_rate=clear_rate, closed=closed)
    dates = sorted(set(dates))
    if not dates:
        raise ValidationError({"dates": [_("Choose at least one night.")]})
    if dates[0] < tenant.local_today():
        raise ValidationError({"dates": [_("Past nights cannot be changed.")]})
    with locking.locked():
        nights = list(
            NightlyInventory.objects.with_scope(tenant=tenant)
            .filter(room_type=room_type, date__in=dates)
            .select_for_update(of=("self",))
            .order_by("date")
        )
        if len(nights) != len(dates):
            raise ValidationError({"dates": [
                _("Some of these nights are not open for sale yet: %(first)s is the first missing.")
                % {"first": sorted(set(dates) - {night.date for night in nights})[0].isoformat()}
            ]})
        changed = [night for night in nights
                   if any(getattr(night, name) != value for name, value in changes.items())]
        if not changed:
            return 0
        NightlyInventory.objects.with_scopes_disabled().filter(
            pk__in=[night.pk for night in changed]
        ).update(**changes)
        warm_copy.nights_changed(tenant_id=tenant.pk, room_type_id=room_type.pk,
                                 dates=[night.date for night in changed])
        audit.record(
            audit.Type.DATA_MODIFICATION, tenant=tenant, action="inventory_updated", actor=actor,
            ip_address=ip_address, resource=f"room_type:{room_type.code}",
            details={
                "room_type": room_type.code,
                "first": changed[0].date.isoformat(), "last": changed[-1].date.isoformat(),
                "nights": len(changed), "dates": [night.date.isoformat() for night in changed],
                "before": {name: _summary(getattr(night, name) for night in changed) for name in changes},
                "after": {name: "" if value is None else value for name, value in changes.items()},
            },
        )
    return len(changed)


def inventory_bulk_update(
    *, tenant, room_types, first: datetime.date, last: datetime.date, weekdays=(), action: str,
    rate=None, actor: str, ip_address: str | None = None,
) -> int:
    """One action over a range of nights (only `weekdays` when given) of several
    room types, all or nothing: "set the rate of deluxe to 150 from 1 to 15 March".
    Returns how many nights changed; one audit event per room type."""
    if action not in Action.CHOICES:
        raise ValidationError({"action": [_("Choose what to change.")]})
    if not room_types:
        raise ValidationError({"room_types": [_("Choose at least one room type.")]})
    if action == Action.SET_RATE and (rate is None or str(rate).strip() == ""):
        raise ValidationError({"rate": [_("Enter the rate to set.")]})
    dates = dates_between(first, last, weekdays)
    fields = {
        Action.SET_RATE: {"rate": rate}, Action.CLEAR_RATE: {"clear_rate": True},
        Action.CLOSE: {"closed": True}, Action.OPEN: {"closed": False},
    }[action]
    with transaction.atomic():
        return sum(
            inventory_update(tenant=tenant, room_type=room_type, dates=dates, actor=actor,
                             ip_address=ip_address, **fields)
            for room_type in sorted(room_types, key=lambda rt: rt.pk)
        )
