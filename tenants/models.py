import datetime
import zoneinfo

from django.conf import settings
from django.core.cache import cache
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

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    timezone = models.CharField(_("timezone"), max_length=64, default="UTC", validators=[validate_timezone])
    country = models.CharField(
        _("country"),
        max_length=2, default="ES", validators=[validate_country],
        help_text=_("ISO 3166 alpha-2; default region for guests' phone numbers."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", validators=[validate_currency])
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.SPANISH,
    )
    support_phone = models.CharField(_("support phone"), max_length=32, blank=True)
    support_email = models.EmailField(_("support email"), blank=True)
    address = models.TextField(_("address"), blank=True)
    check_in_time = models.TimeField(_("check-in time"), default=datetime.time(15, 0))
    check_out_time = models.TimeField(_("check-out time"), default=datetime.time(12, 0))
    directions = models.TextField(
        _("directions"), blank=True,
        help_text=_("How guests get here from the airport, the station or by car, as told to them."),
    )
    infants_count_as_guests = models.BooleanField(
        _("infants count as guests"), default=False,
        help_text=_("Whether a baby sleeping in a cot counts towards a room's guests."),
    )
    late_checkout_until = models.TimeField(
        _("late check-out until"), null=True, blank=True,
        help_text=_("The latest check-out the hotel may grant on request; empty if it offers none."),
    )
    late_checkout_fee = models.DecimalField(
        _("late check-out fee"), max_digits=8, decimal_places=2, null=True, blank=True,
        help_text=_("What a late check-out costs, in the hotel's currency; empty if free or not offered."),
    )
    cancellation_policy = models.TextField(
        _("cancellation policy"), blank=True,
        help_text=_("Told to guests who ask whether and until when they can cancel."),
    )
    pre_arrival_days = models.PositiveSmallIntegerField(
        _("pre-arrival message, days before"), default=2, validators=[MaxValueValidator(30)],
        help_text=_("How many days before check-in guests get the pre-arrival message on WhatsApp."),
    )
    guest_messages_from = models.TimeField(
        _("guest messages from"), default=datetime.time(9, 0),
        help_text=_("Messages the hotel writes first (pre-arrival, survey) go out between this time…"),
    )
    guest_messages_until = models.TimeField(
        _("guest messages until"), default=datetime.time(21, 0),
        help_text=_("…and this one, in the hotel's time zone."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    max_active_reservations_per_guest = models.PositiveSmallIntegerField(
        _("max active reservations per guest"), default=5,
    )
    pms_backend = models.CharField(
        _("PMS"),
        max_length=16, choices=[("database", "hotelagent database"), ("qloapps", "QloApps")],
        default="database",
    )
    pms_base_url = models.URLField(
        _("PMS base URL"), blank=True, help_text=_("QloApps shop URL, e.g. https://hotel.example"),
    )
    pms_hotel_id = models.CharField(
        _("PMS hotel id"), max_length=32, blank=True, help_text=_("QloApps id_hotel."),
    )
    pms_connect_timeout = models.FloatField(
        _("PMS connect timeout"),
        default=2.0, validators=PMS_TIMEOUT_VALIDATORS,
        help_text=_("Seconds to wait for QloApps to accept a connection, 0.1 to 60."),
    )
    pms_read_timeout = models.FloatField(
        _("PMS read timeout"),
        default=5.0, validators=PMS_TIMEOUT_VALIDATORS,
        help_text=_("Seconds to wait for each QloApps answer, 0.1 to 60."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("hotel")
        verbose_name_plural = _("hotels")
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

    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="channel_accounts", verbose_name=_("hotel"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    external_id = models.CharField(
        _("external id"),
        max_length=128, help_text=_("For WhatsApp, the Cloud API phone_number_id.")
    )
    display_address = models.CharField(_("display address"), max_length=128, blank=True)
    business_account_id = models.CharField(
        _("WhatsApp Business Account id"), max_length=64, blank=True,
        help_text=_("For WhatsApp, the id of the WhatsApp Business Account the number belongs to."),
    )

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("channel account")
        verbose_name_plural = _("channel accounts")
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="uniq_channel_external_id")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.display_address or self.external_id}"

    # Whether Meta takes this number's access token, as the last send found out. Kept
    # in the cache, shared by every process: set when a reply failed for want of a
    # token or with a 401/403, cleared by a send that succeeds or a new token.
    CREDENTIALS_MISSING, CREDENTIALS_REJECTED = "missing", "rejected"
    CREDENTIALS_FLAG_SECONDS = 7 * 24 * 60 * 60

    @property
    def access_token_secret_name(self) -> str:
        """The secret-store name of this number's access token (the store lives a layer up)."""
        return f"whatsapp_access_token:{self.external_id}"

    @staticmethod
    def credentials_key(external_id: str) -> str:
        return f"whatsapp:credentials:{external_id}"

    def credentials_problem(self) -> str:
        """"" while sends go through; CREDENTIALS_MISSING or CREDENTIALS_REJECTED otherwise."""
        try:
            return cache.get(self.credentials_key(self.external_id)) or ""
        except Exception:  # a cache outage hides the banner, never the page
            return ""

    def flag_credentials(self, problem: str) -> None:
        cache.set(self.credentials_key(self.external_id), problem, self.CREDENTIALS_FLAG_SECONDS)

    def clear_credentials_problem(self) -> None:
        cache.delete(self.credentials_key(self.external_id))



class GuestIdentifier(models.Model):
    """A guest address known to belong to one hotel, used to route messages that
    arrive on a shared channel."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")

    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="guest_identifiers", verbose_name=_("hotel"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=254)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("guest identifier")
        verbose_name_plural = _("guest identifiers")
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="uniq_guest_identifier")]

    def __str__(self) -> str:
        return self.value


class TenantMembership(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tenant_memberships",
        verbose_name=_("user"),
    )
    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("hotel"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STAFF)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [models.UniqueConstraint(fields=["user", "tenant"], name="uniq_membership")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.tenant} ({self.role})"


class FAQEntry(models.Model):
    """One answer a hotel gives to a family of guest questions, in one language.
    The agent matches guests' messages against `questions` and replies `answer`
    word for word, so staff stay in control of what is said."""

    class Topic(models.TextChoices):
        BREAKFAST = "breakfast", _("Breakfast")
        PARKING = "parking", _("Parking")
        WIFI = "wifi", _("Wi-Fi")
        PETS = "pets", _("Pets")
        ADDRESS = "address", _("Address")
        DIRECTIONS = "directions", _("Directions")
        PHONE = "phone", _("Phone and contact")
        PAYMENT = "payment", _("Payment methods")
        CANCELLATION = "cancellation", _("Cancellation policy")
        LATE_CHECKOUT = "late_checkout", _("Late check-out")
        ACCESSIBILITY = "accessibility", _("Accessibility")
        AIRPORT_TRANSFER = "airport_transfer", _("Airport transfer")
        CHECK_IN_OUT = "check_in_out", _("Check-in and check-out times")
        OTHER = "other", _("Other")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="faq_entries",
                               verbose_name=_("hotel"))
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices, default=Topic.OTHER)
    language = models.CharField(_("language"), max_length=2, choices=Tenant.Language.choices,
                                default=Tenant.Language.SPANISH)
    questions = models.TextField(
        _("questions"), blank=True,
        help_text=_("Ways guests ask this, one per line. The topic's usual words are known already."),
    )
    answer = models.TextField(_("answer"), help_text=_("Sent to the guest as written."))
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower first when several entries share a topic."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["position", "id"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        indexes = [models.Index(fields=["tenant", "is_active"], name="faq_tenant_active")]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} ({self.language})"

    @property
    def question_list(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.questions.splitlines() if line.strip())


from . import signals  # noqa: E402, F401  (connects the knowledge cache's invalidation)


class StaffProfile(models.Model):
    """What a staff member chose for themselves. The back office speaks `language`
    when set; blank means "follow my browser, else my hotel" (tenants/staff_language.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES,
        help_text=_("The back office's language for you. Blank: your browser's, else your hotel's."),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.language or '-'})"
