import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .room_facts import BED_CHOICES, unknown_amenities

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: guests read codes aloud


def new_reservation_code() -> str:
    return "HA-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


class RoomType(models.Model):
    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="room_types", verbose_name=_("hotel"),
    )
    code = models.SlugField(_("code"), max_length=32, help_text=_("standard, deluxe, suite…"))
    name = models.CharField(_("name"), max_length=100)
    max_guests = models.PositiveSmallIntegerField(
        _("maximum guests"),
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    base_rate = models.DecimalField(
        _("base rate"),
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Nightly rate when a night has no override."),
    )
    room_count = models.PositiveSmallIntegerField(
        _("room count"), help_text=_("Rooms of this type in the hotel."),
    )
    pms_room_type_id = models.CharField(
        _("PMS room type id"),
        max_length=64, blank=True,
        help_text=_("The room type's id in the hotel's external PMS (QloApps id_product)."),
    )
    # What the agent tells a guest choosing a room. `name` stays the fallback for
    # a language without its own name.
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True, max_length=1000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=1000)
    beds = models.CharField(_("beds"), max_length=16, choices=BED_CHOICES, blank=True)
    amenities = models.JSONField(
        _("amenities"),
        default=list, blank=True, help_text=_("Keys from reservations.room_facts.AMENITIES."),
    )
    size_m2 = models.PositiveSmallIntegerField(_("size (m²)"), null=True, blank=True)
    photo_url = models.URLField(
        _("photo link"), blank=True, max_length=500, validators=[URLValidator(schemes=["https"])],
        help_text=_("A public https link to a JPEG or PNG photo of the room: the agent sends it to "
                    "guests on WhatsApp who ask to see the rooms."),
    )

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("room type")
        verbose_name_plural = _("room types")
        ordering = ["base_rate", "code"]
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="uniq_room_type_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        super().clean()
        unknown = unknown_amenities(self.amenities)
        if unknown:
            message = _("Unknown amenities: %(keys)s.") % {"keys": ", ".join(unknown)}
            raise ValidationError({"amenities": message})

    def label(self, language: str) -> str:
        """The name a guest writing in `language` reads."""
        return getattr(self, f"name_{(language or '')[:2].lower()}", "") or self.name


class NightlyInventory(models.Model):
    """Rooms of one type for one night. The check constraints are the last line of
    defence against overbooking; the booking service never relies on them alone."""

    room_type = models.ForeignKey(
        RoomType, on_delete=models.CASCADE, related_name="nights", verbose_name=_("room type"),
    )
    date = models.DateField(_("date"))
    rooms_total = models.PositiveSmallIntegerField(_("rooms total"))
    rooms_booked = models.PositiveSmallIntegerField(_("rooms booked"), default=0)
    rate_override = models.DecimalField(
        _("rate override"),
        max_digits=10, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # Stop-sell: the night keeps its rooms and bookings but sells nothing more.
    closed = models.BooleanField(_("closed"), default=False)

    objects = ScopedManager(tenant="room_type__tenant")

    class Meta:
        verbose_name = _("night of inventory")
        verbose_name_plural = _("nightly inventory")
        ordering = ["room_type", "date"]
        indexes = [
            # The seed's (room, date, available). uniq_inventory_night already gives
            # (room_type, date); this one also carries what the availability window
            # reads (free rooms are rooms_total - rooms_booked, and the rate), so
            # check_availability is an index-only scan (on vacuumed pages); `closed`
            # too, since a closed night sells nothing.
            models.Index(
                fields=["room_type", "date", "rooms_total", "rooms_booked", "rate_override", "closed"],
                name="inventory_availability",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["room_type", "date"], name="uniq_inventory_night"),
            models.CheckConstraint(
                condition=Q(rooms_booked__lte=F("rooms_total")), name="inventory_booked_lte_total"
            ),
            models.CheckConstraint(condition=Q(rooms_booked__gte=0), name="inventory_booked_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.room_type.code} {self.date}: {self.rooms_booked}/{self.rooms_total}"

    @property
    def rooms_free(self) -> int:
        return self.rooms_total - self.rooms_booked


class Reservation(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CHECKED_IN = "checked_in", _("Checked in")
        CHECKED_OUT = "checked_out", _("Checked out")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        API = "api", "API"
        WHATSAPP = "whatsapp", "WhatsApp"
        WEB = "web", _("Web")
        ADMIN = "admin", _("Admin")
        GUEST_LINK = "guest_link", _("Guest link")

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.PROTECT, related_name="reservations", verbose_name=_("hotel"),
    )
    code = models.CharField(
        _("code"), max_length=12, unique=True, default=new_reservation_code, editable=False,
    )
    room_type = models.ForeignKey(
        RoomType, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("room type"),
    )
    guest_name = models.CharField(_("guest name"), max_length=150)
    guest_email = models.EmailField(_("guest email"))
    guest_phone = models.CharField(_("guest phone"), max_length=20)
    guests = models.PositiveSmallIntegerField(_("guests"))
    check_in = models.DateField(_("check-in"))
    check_out = models.DateField(_("check-out"))
    nights = models.PositiveSmallIntegerField(_("nights"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    nightly_rates = models.JSONField(
        _("nightly rates"), help_text=_("Rate of each night, as decimal strings."),
    )
    subtotal = models.DecimalField(_("subtotal"), max_digits=12, decimal_places=2)
    discount_rate = models.DecimalField(
        _("discount rate"), max_digits=4, decimal_places=2, default=Decimal("0"),
    )
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    special_requests = models.TextField(_("special requests"), blank=True, max_length=1000)
    external_reference = models.CharField(_("external reference"), max_length=64, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["-created_at"]
        # The seed's indexes, led by the hotel because every query is scoped to one.
        # Its tenant_id index is the foreign key's own (and the prefix of each below).
        indexes = [
            models.Index(fields=["tenant", "guest_email"], name="reservation_guest_email"),
            models.Index(fields=["tenant", "guest_phone"], name="reservation_guest_phone"),
            models.Index(fields=["tenant", "check_in", "check_out"], name="reservation_dates"),
            models.Index(fields=["tenant", "status"], name="reservation_status"),
            # The seed's status index WHERE status IN ('confirmed', 'pending'): a
            # reservation is confirmed or cancelled (requests still pending live in
            # PendingBooking, whose pending_booking_status serves the retry sweep), so
            # it is the confirmed ones, in the order the reservation list reads them.
            models.Index(
                fields=["tenant", "-created_at", "-id"], name="reservation_confirmed",
                condition=Q(status="confirmed"),
            ),
            # The seed's active index also had check_out >= CURRENT_DATE, which no
            # index predicate may hold (not immutable): queries add the date themselves.
            # Active is confirmed or checked in (selectors.ACTIVE_STATUSES).
            models.Index(
                fields=["tenant", "check_out"], name="reservation_active_stays",
                condition=Q(status__in=["confirmed", "checked_in"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(check_out__gt=F("check_in")), name="reservation_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class IdempotentRequest(models.Model):
    """The first response to a POST sent with an Idempotency-Key, replayed for
    retries of the same request. `response_status` is NULL while the first
    request is still running, which is how a concurrent duplicate is told apart."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="+", verbose_name=_("hotel"),
    )
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True)
    response_body = models.JSONField(_("response body"), null=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "key"], name="uniq_idempotency_key")
        ]

    def __str__(self) -> str:
        return self.key


class AvailabilitySnapshot(models.Model):
    """Last known good availability of one night, kept from every successful PMS
    read so guests still get an (honestly dated) answer while the PMS is down."""

    room_type = models.ForeignKey(
        RoomType, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("room type"),
    )
    date = models.DateField(_("date"))
    rooms_free = models.IntegerField(_("rooms free"))
    rate = models.DecimalField(_("rate"), max_digits=10, decimal_places=2)
    as_of = models.DateTimeField(_("as of"))

    objects = ScopedManager(tenant="room_type__tenant")

    class Meta:
        verbose_name = _("availability snapshot")
        verbose_name_plural = _("availability snapshots")
        constraints = [
            models.UniqueConstraint(fields=["room_type", "date"], name="uniq_snapshot_night")
        ]

    def __str__(self) -> str:
        return f"{self.room_type.code} {self.date}: {self.rooms_free} free as of {self.as_of}"


class PendingBooking(models.Model):
    """A reservation request accepted while the PMS was unavailable. It is retried
    when the breaker closes, through the same service and rules; `client_reference`
    lets the PMS recognise a retried create."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="+", verbose_name=_("hotel"),
    )
    client_reference = models.CharField(_("client reference"), max_length=64, unique=True)
    request = models.JSONField(_("request"), help_text=_("The reservation_create arguments, JSON-encoded."))
    source = models.CharField(_("source"), max_length=16, choices=Reservation.Source.choices)
    notify = models.JSONField(
        _("notify"), default=dict, blank=True, help_text=_("Where to tell the guest the outcome."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    reservation = models.ForeignKey(
        Reservation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("reservation"),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("pending booking")
        verbose_name_plural = _("pending bookings")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="pending_booking_status")]

    def __str__(self) -> str:
        return f"{self.client_reference} ({self.status})"


class GuestRating(models.Model):
    """A guest's rating of a stay, 1 to 5, which hotelagent_guest_satisfaction_score
    and the dashboard average. The post-stay survey (webhooks) asks for it on
    WhatsApp; the comment is the guest's next message, if they write one. One
    per reservation: a second answer to the survey changes it, never adds one."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="+", verbose_name=_("hotel"),
    )
    reservation = models.ForeignKey(
        Reservation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("reservation"),
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("guest rating")
        verbose_name_plural = _("guest ratings")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="guest_rating_1_to_5"),
            models.UniqueConstraint(fields=["reservation"], name="uniq_guest_rating_per_stay",
                                    condition=Q(reservation__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.score}/5"


class LateCheckoutRequest(models.Model):
    """A guest's wish to leave later than the hotel's check-out time, waiting for
    staff to say yes or no. The agent only asks: staff decide in the admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="+", verbose_name=_("hotel"),
    )
    reservation = models.ForeignKey(
        Reservation, on_delete=models.CASCADE, related_name="late_checkout_requests",
        verbose_name=_("reservation"),
    )
    requested_until = models.TimeField(
        _("requested until"),
        null=True, blank=True, help_text=_("The time the guest asked for; empty when they gave none."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("decided by"),
    )

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("late check-out request")
        verbose_name_plural = _("late check-out requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "status", "created_at"], name="late_checkout_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["reservation"], condition=Q(status="pending"), name="uniq_pending_late_checkout",
            ),
        ]

    def __str__(self) -> str:
        until = self.requested_until.strftime("%H:%M") if self.requested_until else "-"
        return f"{self.reservation.code} until {until} ({self.status})"
