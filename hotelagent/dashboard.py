"""The back office's "Today" page: what the front desk of one hotel needs each morning.

Reads only, each one query whatever the hotel's size (the page's query count is
asserted flat in tests/admin/test_dashboard.py): the hotel's stays touching today,
its room types with their nights summed in three windows, the conversations
and pending bookings waiting (a few rows and their count), and the bookings of
the last 30 days grouped by day and source. The PMS circuits come from the
cache, in one round trip.

"Today" is the hotel's own calendar day (Tenant.local_today()). Who is where:

- arrivals: check-in today, confirmed or already checked in;
- departures: check-out today, confirmed, checked in or already checked out;
- in house: checked in and staying tonight (check-in on or before today, check-out
  after it), and, flagged "not checked in yet", confirmed stays whose check-in
  day has passed and that nobody checked in: the guest is probably in a room
  and the desk should know. Today's confirmed arrivals are listed once, under
  arrivals, not again as in house.

The bookings chart counts every reservation made on each day (cancelled ones
too: they were bookings made that day); revenue sums the totals of those not
cancelled since.
"""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, format_percent
from django.db.models import Avg, Count, Q, Sum, Window
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reservations.metrics import SATISFACTION_DAYS
from reservations.models import GuestRating, PendingBooking, Reservation, RoomType
from reservations.pms.breaker import circuit_states
from security.circuit import State
from tenants.formatting import active_locale, money
from tenants.models import ChannelAccount
from tenants.selectors import tenants_for_user
from webhooks.models import Conversation

Status = Reservation.Status
OCCUPANCY_WINDOWS = (("tonight", 1), ("next_7", 7), ("next_30", 30))
CHART_DAYS = 30
WAITING_ROWS = 10
SOURCE_COLOURS = {  # CSS classes of templates/admin/hotelagent/dashboard/style.html
    source: f"source-{index}" for index, source in enumerate(Reservation.Source.values)
}
CIRCUIT_LABELS = {
    State.CLOSED: _("Working"),
    State.HALF_OPEN: _("Trying again"),
    State.OPEN: _("Down: bookings are queued"),
}
ENDPOINT_LABELS = {
    "hotel_ari": _("Availability and rates"),
    "bookings": _("Bookings"),
    "hotel_room_types": _("Room types"),
}


# --- which hotel ---------------------------------------------------------------


def hotels_for(user) -> list:
    """The hotels whose dashboard `user` may open: every hotel for a superuser, else their own."""
    return list(tenants_for_user(user).order_by("name", "pk"))


def chosen_hotel(hotels: list, slug: str | None):
    """The hotel `?hotel=<slug>` names among `hotels`, the first one without it; a slug
    the user may not open is a 404, like a hotel that does not exist."""
    if not slug:
        return hotels[0] if hotels else None
    for hotel in hotels:
        if hotel.slug == slug:
            return hotel
    raise Http404(_("No such hotel."))


# --- the guests of today ---------------------------------------------------------


@dataclass
class Stay:
    reservation: Reservation
    not_checked_in: bool = False

    @property
    def total(self) -> str:
        return money(self.reservation.total, self.reservation.currency)

    @property
    def dates(self) -> str:
        """“Dec 2 → Dec 5” in the reader's language: the year goes without saying today."""
        locale = active_locale()
        return " → ".join(format_skeleton("MMMd", day, locale=locale)
                          for day in (self.reservation.check_in, self.reservation.check_out))


@dataclass
class Today:
    arrivals: list[Stay] = field(default_factory=list)
    departures: list[Stay] = field(default_factory=list)
    in_house: list[Stay] = field(default_factory=list)


def stays_today(*, tenant, today: datetime.date) -> Today:
    """Arrivals, departures and in-house guests of `today`, from one query."""
    arriving = Q(check_in=today, status__in=[Status.CONFIRMED, Status.CHECKED_IN])
    leaving = Q(check_out=today, status__in=[Status.CONFIRMED, Status.CHECKED_IN, Status.CHECKED_OUT])
    staying = Q(check_in__lte=today, check_out__gt=today, status__in=[Status.CONFIRMED, Status.CHECKED_IN])
    rows = (
        Reservation.objects.with_scope(tenant=tenant).filter(arriving | leaving | staying)
        .select_related("room_type").order_by("guest_name", "code")
    )
    result = Today()
    for reservation in rows:
        if reservation.check_in == today and reservation.status in (Status.CONFIRMED, Status.CHECKED_IN):
            result.arrivals.append(Stay(reservation))
        if reservation.check_out == today:
            result.departures.append(Stay(reservation))
        staying_tonight = reservation.check_in <= today < reservation.check_out
        if staying_tonight and reservation.status == Status.CHECKED_IN:
            result.in_house.append(Stay(reservation))
        elif staying_tonight and reservation.status == Status.CONFIRMED and reservation.check_in < today:
            result.in_house.append(Stay(reservation, not_checked_in=True))
    return result


# --- occupancy -------------------------------------------------------------------


@dataclass
class Occupancy:
    room_type: RoomType
    windows: dict[str, str]  # window name → "45 %" (or "—" when no night is open)


def occupancy(*, tenant, today: datetime.date) -> list[Occupancy]:
    """Rooms booked / rooms in the inventory of each room type, tonight and over the next
    7 and 30 nights, in one query (conditional sums over the room types' nights)."""
    sums = {}
    for window, nights in OCCUPANCY_WINDOWS:
        in_window = Q(nights__date__gte=today, nights__date__lt=today + datetime.timedelta(days=nights))
        sums[f"booked_{window}"] = Sum("nights__rooms_booked", filter=in_window)
        sums[f"total_{window}"] = Sum("nights__rooms_total", filter=in_window)
    room_types = RoomType.objects.with_scope(tenant=tenant).annotate(**sums).order_by("base_rate", "code")
    locale = active_locale()
    rows = []
    for room_type in room_types:
        windows = {}
        for window, _nights in OCCUPANCY_WINDOWS:
            total = getattr(room_type, f"total_{window}")
            booked = getattr(room_type, f"booked_{window}") or 0
            windows[window] = format_percent(booked / total, locale=locale) if total else "—"
        rows.append(Occupancy(room_type, windows))
    return rows


# --- what is waiting -------------------------------------------------------------


@dataclass
class Waiting:
    rows: list
    count: int


def _first_rows(queryset) -> list:
    """The first WAITING_ROWS rows, each carrying the count of all of them (a window
    function is computed before the LIMIT): one query, however many are waiting."""
    return list(queryset.annotate(waiting_count=Window(Count("pk")))[:WAITING_ROWS])


def conversations_waiting(*, tenant) -> Waiting:
    """Handed-over conversations, the one waiting longest first."""
    queryset = Conversation.objects.with_scope(tenant=tenant).filter(needs_staff=True)
    rows = _first_rows(queryset.order_by("last_activity_at", "pk"))
    labels = dict(ChannelAccount.Channel.choices)
    for conversation in rows:
        conversation.channel_label = labels.get(conversation.channel, conversation.channel)
    return Waiting(rows, rows[0].waiting_count if rows else 0)


def pending_bookings(*, tenant, room_type_names: dict[str, str]) -> Waiting:
    """Bookings accepted while the PMS was down and not settled yet, oldest first,
    each with its room type's name and its dates as the reader writes them."""
    queryset = PendingBooking.objects.with_scope(tenant=tenant).filter(status=PendingBooking.Status.PENDING)
    rows = _first_rows(queryset.order_by("created_at", "pk"))
    for booking in rows:
        asked = booking.request if isinstance(booking.request, dict) else {}
        booking.guest_label = str(asked.get("guest_name") or booking.client_reference)
        code = str(asked.get("room_type") or "")
        booking.room_type_label = room_type_names.get(code, code)
        booking.dates_label = _dates_label(asked.get("check_in"), asked.get("check_out"))
    return Waiting(rows, rows[0].waiting_count if rows else 0)


def _dates_label(*texts) -> str:
    """Two ISO dates from a stored request, as "Dec 2 → Dec 5"; what does not parse as it was."""
    locale, labels = active_locale(), []
    for text in texts:
        try:
            labels.append(format_skeleton("MMMd", datetime.date.fromisoformat(str(text)), locale=locale))
        except ValueError:
            labels.append(str(text or ""))
    return " → ".join(labels)


@dataclass
class Circuit:
    endpoint: str
    label: str
    state: str
    css: str


def pms_circuits(*, tenant) -> list[Circuit]:
    return [
        Circuit(endpoint, ENDPOINT_LABELS.get(endpoint, endpoint), CIRCUIT_LABELS[state], state.label)
        for endpoint, state in circuit_states(tenant).items()
    ]


# --- the last 30 days ------------------------------------------------------------


@dataclass
class Bar:
    label: str
    x: float
    segments: list[dict]  # {"y", "height", "css", "title"}


@dataclass
class Chart:
    bars: list[Bar]
    peak: str
    legend: list[dict]  # {"css", "label", "value"}
    width: int = CHART_DAYS * 10
    height: int = 100


@dataclass
class History:
    first_day: datetime.date
    bookings: Chart
    revenue: Chart
    total_bookings: int
    total_revenue: str


def _sources_by_day(*, tenant, first_day: datetime.date) -> dict:
    """{(day, source): (bookings, revenue)} of the reservations made since `first_day`,
    days on the hotel's calendar; one query."""
    since = datetime.datetime.combine(first_day, datetime.time.min, tzinfo=tenant.tzinfo)
    rows = (
        Reservation.objects.with_scope(tenant=tenant).filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=tenant.tzinfo))
        .values("day", "source")
        .annotate(bookings=Count("pk"), revenue=Sum("total", filter=~Q(status=Status.CANCELLED)))
        .order_by()
    )
    return {(row["day"], row["source"]): (row["bookings"], row["revenue"] or Decimal("0")) for row in rows}


def _chart(days, sources, values: dict, describe) -> Chart:
    """Stacked bars, one a day, one segment a source; geometry in the SVG's own units."""
    totals = [sum(values.get((day, source), 0) for source in sources) for day in days]
    peak = max(totals, default=0) or 1
    bars = []
    for index, day in enumerate(days):
        y, segments, label = 100.0, [], format_skeleton("MMMd", day, locale=active_locale())
        for source in sources:
            value = values.get((day, source), 0)
            if not value:
                continue
            height = 100.0 * float(value) / float(peak)
            y -= height
            segments.append({
                "y": round(y, 2), "height": round(height, 2), "css": SOURCE_COLOURS.get(source, "source-0"),
                "title": f"{label}: {Reservation.Source(source).label} {describe(value)}",
            })
        bars.append(Bar(label, index * 10 + 1, segments))
    legend = [
        {"css": SOURCE_COLOURS.get(source, "source-0"), "label": Reservation.Source(source).label,
         "value": describe(sum(values.get((day, source), 0) for day in days))}
        for source in sources
    ]
    return Chart(bars, describe(max(totals, default=0)), legend)


def history(*, tenant, today: datetime.date) -> History:
    first_day = today - datetime.timedelta(days=CHART_DAYS - 1)
    days = [first_day + datetime.timedelta(days=n) for n in range(CHART_DAYS)]
    grouped = _sources_by_day(tenant=tenant, first_day=first_day)
    sources = [source for source in Reservation.Source.values if any(key[1] == source for key in grouped)]
    bookings = {key: value[0] for key, value in grouped.items()}
    revenue = {key: value[1] for key, value in grouped.items()}
    return History(
        first_day=first_day,
        bookings=_chart(days, sources, bookings, str),
        revenue=_chart(days, sources, revenue, lambda amount: money(amount, tenant.currency)),
        total_bookings=sum(bookings.values()),
        total_revenue=money(sum(revenue.values(), Decimal("0")), tenant.currency),
    )


@dataclass
class Satisfaction:
    """The post-stay survey's average over the gauge's window, as the page shows it."""

    average: float | None
    ratings: int
    days: int

    @property
    def label(self) -> str:
        if self.average is None:
            return "—"
        return format_decimal(round(self.average, 1), format="0.0", locale=active_locale())


def satisfaction(*, tenant, now: datetime.datetime) -> Satisfaction:
    """The same average as hotelagent_guest_satisfaction_score, for this hotel."""
    since = now - datetime.timedelta(days=SATISFACTION_DAYS)
    row = GuestRating.objects.with_scope(tenant=tenant).filter(created_at__gte=since).aggregate(
        average=Avg("score"), ratings=Count("pk"))
    average = float(row["average"]) if row["average"] is not None else None
    return Satisfaction(average=average, ratings=row["ratings"], days=SATISFACTION_DAYS)


# --- the page --------------------------------------------------------------------


def dashboard_for(*, tenant) -> dict:
    """Everything the "Today" page shows of one hotel."""
    today = tenant.local_today()
    rooms = occupancy(tenant=tenant, today=today)
    return {
        "hotel": tenant,
        "today": today,
        "today_label": format_date(today, "full", locale=active_locale()),
        "stays": stays_today(tenant=tenant, today=today),
        "occupancy": rooms,
        "conversations": conversations_waiting(tenant=tenant),
        "pending": pending_bookings(
            tenant=tenant, room_type_names={row.room_type.code: row.room_type.name for row in rooms}
        ),
        "circuits": pms_circuits(tenant=tenant),
        "external_pms": tenant.pms_backend != "database",
        "history": history(tenant=tenant, today=today),
        "satisfaction": satisfaction(tenant=tenant, now=timezone.now()),
        "now": timezone.now(),
    }
