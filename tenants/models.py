import datetime
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .reference import validate_country, validate_currency, validate_timezone

# Below a tenth of a second every call to the PMS times out; above a minute a slow
# PMS holds a worker thread and the guest waiting for the reply far too long.
PMS_TIMEOUT_VALIDATORS = [MinValueValidator(0.1), MaxValueValidator(60.0)]


class Tenant(models.Model):
    """A hotel. The root of every scope: all other business rows hang from one."""

    class Language(models.TextChoices):
        SPANISH = "es", "Español"
        ENGLISH = "en", "English"

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    country = models.CharField(
        max_length=2, default="ES", validators=[validate_country],
        help_text=_("ISO 3166 alpha-2; default region for guests' phone numbers."),
    )
    currency = models.CharField(max_length=3, default="EUR", validators=[validate_currency])
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.SPANISH)
    support_phone = models.CharField(max_length=32, blank=True)
    support_email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    check_in_time = models.TimeField(default=datetime.time(15, 0))
    check_out_time = models.TimeField(default=datetime.time(12, 0))
    is_active = models.BooleanField(default=True)
    max_active_reservations_per_guest = models.PositiveSmallIntegerField(default=5)
    pms_backend = models.CharField(
        max_length=16, choices=[("database", "hotelagent database"), ("qloapps", "QloApps")],
        default="database",
    )
    pms_base_url = models.URLField(blank=True, help_text=_("QloApps shop URL, e.g. https://hotel.example"))
    pms_hotel_id = models.CharField(max_length=32, blank=True, help_text=_("QloApps id_hotel."))
    pms_connect_timeout = models.FloatField(
        default=2.0, validators=PMS_TIMEOUT_VALIDATORS,
        help_text=_("Seconds to wait for QloApps to accept a connection, 0.1 to 60."),
    )
    pms_read_timeout = models.FloatField(
        default=5.0, validators=PMS_TIMEOUT_VALIDATORS,
        help_text=_("Seconds to wait for each QloApps answer, 0.1 to 60."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local_today(self) -> datetime.date:
        """Today's date at the hotel: date rules are judged by the hotel's calendar, not UTC."""
        return timezone.now().astimezone(self.tzinfo).date()


class ChannelAccount(models.Model):
    """A number or widget through which guests reach one hotel."""

    class Channel(models.TextChoices):
        WHATSAPP = "whatsapp", "WhatsApp"
        WEB = "web", "Web chat"

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="channel_accounts")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    external_id = models.CharField(
        max_length=128, help_text=_("For WhatsApp, the Cloud API phone_number_id.")
    )
    display_address = models.CharField(max_length=128, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="uniq_channel_external_id")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.display_address or self.external_id}"


class GuestIdentifier(models.Model):
    """A guest address known to belong to one hotel, used to route messages that
    arrive on a shared channel."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="guest_identifiers")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.CharField(max_length=254)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="uniq_guest_identifier")]

    def __str__(self) -> str:
        return self.value


class TenantMembership(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tenant_memberships"
    )
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STAFF)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tenant"], name="uniq_membership")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.tenant} ({self.role})"
