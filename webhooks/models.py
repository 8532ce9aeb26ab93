import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tenants.models import Tenant

from .message_templates import check_parameters

CONVERSATION_TTL = datetime.timedelta(hours=24)


class MessagePurpose(models.TextChoices):
    """What a message is for, which names the template it goes out as outside
    WhatsApp's 24-hour window (webhooks/message_templates.py lists each one's parameters)."""

    PRE_ARRIVAL = "pre_arrival", _("Pre-arrival message")
    POST_STAY_SURVEY = "post_stay_survey", _("Post-stay survey")
    BOOKING_CONFIRMED = "booking_confirmed", _("Booking confirmed")
    BOOKING_CHANGED = "booking_changed", _("Booking changed")
    BOOKING_CANCELLED = "booking_cancelled", _("Booking cancelled")
    STAFF_REPLY = "staff_reply", _("Staff reply")


#: Written first by the hotel, once per stay.
PROACTIVE_PURPOSES = (MessagePurpose.PRE_ARRIVAL, MessagePurpose.POST_STAY_SURVEY)


class Conversation(models.Model):
    """One guest talking to one hotel on one channel. Its state and slots carry
    the booking being assembled across turns; it expires after 24 h of silence."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="conversations", verbose_name=_("hotel"),
    )
    channel = models.CharField(_("channel"), max_length=16)
    channel_account = models.ForeignKey(
        "tenants.ChannelAccount", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("channel account"),
    )
    guest_id = models.CharField(
        _("guest id"), max_length=128, help_text=_("Opaque sender id (WhatsApp wa_id)."),
    )
    guest_phone = models.CharField(_("guest phone"), max_length=20, blank=True)
    guest_name = models.CharField(_("guest name"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    state = models.CharField(_("state"), max_length=32, default="idle")
    slots = models.JSONField(_("slots"), default=dict, blank=True)
    needs_staff = models.BooleanField(
        _("needs staff"), default=False, help_text=_("Handed over: the agent stays quiet."),
    )
    staff_read_at = models.DateTimeField(
        _("staff read at"),
        null=True, blank=True, help_text=_("When a member of staff last opened it: the inbox's read mark."),
    )
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_activity_at"]
        indexes = [models.Index(fields=["tenant", "channel", "guest_id", "-last_activity_at"])]

    def __str__(self) -> str:
        return f"{self.guest_name or self.guest_id} ({self.channel})"

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) - self.last_activity_at > CONVERSATION_TTL


class InboundMessage(models.Model):
    """A message as the channel delivered it, stored before anything else happens,
    so a crash, an outage or a throttle never loses it. Unique per channel account
    and channel message id (and sender, on the web chat): a redelivery stores
    nothing new."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSING = "processing", _("Processing")
        PROCESSED = "processed", _("Processed")
        THROTTLED = "throttled", _("Throttled")
        IGNORED = "ignored", _("Ignored")
        FAILED = "failed", _("Failed")

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="+", verbose_name=_("hotel"),
    )
    channel = models.CharField(_("channel"), max_length=16)
    channel_account = models.ForeignKey(
        "tenants.ChannelAccount", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("channel account"),
    )
    account_external_id = models.CharField(
        _("account external id"),
        max_length=128, help_text=_("The receiving number's phone_number_id, even if unknown to us.")
    )
    external_id = models.CharField(
        _("external id"), max_length=255, help_text=_("The channel's message id (wamid)."),
    )
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound",
        verbose_name=_("conversation"),
    )
    sender_id = models.CharField(_("sender id"), max_length=128)
    sender_phone = models.CharField(_("sender phone"), max_length=20, blank=True)
    sender_name = models.CharField(_("sender name"), max_length=150, blank=True)
    message_type = models.CharField(_("message type"), max_length=32)
    text = models.TextField(_("text"), blank=True)
    reply_to_id = models.CharField(_("reply to id"), max_length=255, blank=True)
    payload = models.JSONField(_("payload"), default=dict)
    sent_at = models.DateTimeField(_("sent"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        ordering = ["received_at", "id"]
        constraints = [
            # A channel's message id names one message of the receiving account...
            models.UniqueConstraint(
                fields=["channel", "account_external_id", "external_id"], name="uniq_inbound_message",
                condition=~models.Q(channel="web"),
            ),
            # ...except the web chat's, which the website's visitors choose: there
            # the id is only unique per sender, so one guest's id never names
            # (and replays) another guest's message.
            models.UniqueConstraint(
                fields=["channel", "account_external_id", "sender_id", "external_id"],
                name="uniq_web_message_per_sender", condition=models.Q(channel="web"),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "received_at"], name="inbound_status_received"),
            models.Index(fields=["tenant", "sender_id", "received_at"], name="inbound_sender"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_id}"


class OutboundMessage(models.Model):
    """A reply, persisted before it is sent. `sequence` numbers the replies to
    one inbound message, so reprocessing cannot create a second copy.

    `sending` is committed before each call to the Graph API and `unknown` marks
    a call whose answer was lost (read webhooks/sending.py): neither is ever sent
    again blindly, because Meta has no idempotency key."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        UNKNOWN = "unknown", _("Outcome unknown")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        READ = "read", _("Read")
        FAILED = "failed", _("Failed")

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="+", verbose_name=_("hotel"),
    )
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="outbound",
        verbose_name=_("conversation"),
    )
    inbound = models.ForeignKey(
        InboundMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies",
        verbose_name=_("inbound"),
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"), default=0)
    channel = models.CharField(_("channel"), max_length=16)
    account_external_id = models.CharField(_("account external id"), max_length=128)
    recipient_id = models.CharField(_("recipient id"), max_length=128)
    text = models.TextField(_("text"))
    interactive = models.JSONField(
        _("interactive"),
        null=True, blank=True,
        help_text=_("The choices offered with the text (body, button, choices), sent as a WhatsApp "
                    "interactive message when they fit; the text carries them numbered."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    external_id = models.CharField(_("external id"), max_length=255, blank=True, db_index=True)
    status_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    error = models.JSONField(_("error"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        _("next attempt"),
        default=timezone.now, help_text=_("When the next attempt is due (pending), or the resend (unknown).")
    )
    attempt_started_at = models.DateTimeField(_("attempt started"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The member of staff who wrote it; empty for the agent's replies."),
        verbose_name=_("sent by"),
    )

    purpose = models.CharField(
        _("purpose"), max_length=32, blank=True, choices=MessagePurpose.choices,
        help_text=_("What the message is for. Outside WhatsApp's 24-hour window a message with a "
                    "purpose goes out as the hotel's template for it; one without cannot be sent."),
    )
    template_values = models.JSONField(
        _("template values"), default=dict, blank=True,
        help_text=_("The values the purpose's template parameters are filled with, by name."),
    )
    template = models.ForeignKey(
        "MessageTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("sent as template"),
    )
    reservation = models.ForeignKey(
        "reservations.Reservation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("reservation"),
    )
    media = models.JSONField(
        _("media"), null=True, blank=True,
        help_text=_("An image or document sent with the message: type, link or id, caption, file name."),
    )

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inbound", "sequence"], name="uniq_reply_per_inbound"),
            # The messages the hotel writes first go once per stay, ever: two beats,
            # a retried task or a rerun of the command cannot send a second one.
            models.UniqueConstraint(
                fields=["reservation", "purpose"], name="uniq_proactive_message_per_stay",
                condition=models.Q(purpose__in=list(PROACTIVE_PURPOSES)),
            ),
        ]
        indexes = [
            # The sweep's two questions: which replies are due, which attempts went quiet.
            models.Index(
                fields=["next_attempt_at"], name="outbound_due",
                condition=models.Q(status__in=["pending", "unknown"]),
            ),
            models.Index(fields=["attempt_started_at"], name="outbound_sending",
                         condition=models.Q(status="sending")),
        ]

    def __str__(self) -> str:
        return f"to {self.recipient_id}: {self.text[:40]}"


class CannedReply(models.Model):
    """A reply the hotel's staff write often ("Breakfast is from 7 to 10"), in one
    language, inserted into the reply box and edited before it is sent."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="+", verbose_name=_("hotel"),
    )
    language = models.CharField(_("language"), max_length=2, choices=Tenant.Language.choices)
    title = models.CharField(_("title"), max_length=80, help_text=_("Shown in the reply box's list."))
    text = models.TextField(_("text"), max_length=4096)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        ordering = ["language", "title", "id"]
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")

    def __str__(self) -> str:
        return self.title


class MessageTemplate(models.Model):
    """A WhatsApp message template the hotel got approved at Meta, stored by its
    name so we can send it: outside the 24-hour window Meta delivers nothing else.
    Approval happens in Meta's WhatsApp Manager; staff copy the approved name,
    language and the order of its body parameters here."""

    class Category(models.TextChoices):
        UTILITY = "utility", _("Utility")
        MARKETING = "marketing", _("Marketing")

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="+", verbose_name=_("hotel"),
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=MessagePurpose.choices)
    name = models.CharField(
        _("template name"), max_length=512,
        validators=[RegexValidator(r"^[a-z0-9_]+$",
                                   _("Lower-case letters, digits and underscores, as at Meta."))],
        help_text=_("The template's name as approved at Meta, e.g. pre_arrival_v2."),
    )
    language = models.CharField(
        _("language code"), max_length=15,
        validators=[RegexValidator(r"^[a-z]{2,3}(_[A-Z]{2})?$",
                                   _("A Meta language code such as es, en or en_US."))],
        help_text=_("Meta's code for the approved translation: es, en, en_US…"),
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices,
                                default=Category.UTILITY)
    parameters = models.JSONField(
        _("body parameters"), default=list, blank=True,
        help_text=_("The values for {{1}}, {{2}}… of the template's body, in order."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["purpose", "language"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "purpose", "language"],
                                    name="uniq_template_purpose_language"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"

    def clean(self) -> None:
        check_parameters(self.purpose, self.parameters)


class GuestOptOut(models.Model):
    """A guest who asked for no more messages the hotel writes first ("STOP",
    "baja"). Replies to the guest's own messages still go: they asked."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="+", verbose_name=_("hotel"),
    )
    channel = models.CharField(_("channel"), max_length=16)
    guest_id = models.CharField(_("guest id"), max_length=128)
    text = models.CharField(_("what they wrote"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("opted out"), auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "channel", "guest_id"], name="uniq_guest_opt_out"),
        ]

    def __str__(self) -> str:
        return self.guest_id


class MessageMedia(models.Model):
    """What a guest sent that is not text: an image, a voice note, a video, a
    document, a sticker or a location. The metadata is stored with the message;
    the file itself is downloaded from the Graph API by a task (media ids expire
    after 7 days) into Django's storage, size-limited and type-checked."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")
        DOCUMENT = "document", _("Document")
        STICKER = "sticker", _("Sticker")
        LOCATION = "location", _("Location")

    class Status(models.TextChoices):
        PENDING = "pending", _("To download")
        DOWNLOADED = "downloaded", _("Downloaded")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Failed")
        NOTHING = "nothing", _("Nothing to download")

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="+", verbose_name=_("hotel"),
    )
    inbound = models.OneToOneField(
        InboundMessage, on_delete=models.CASCADE, related_name="media", verbose_name=_("inbound message"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    media_id = models.CharField(_("media id"), max_length=255, blank=True)
    mime_type = models.CharField(_("MIME type"), max_length=128, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=128, blank=True)
    caption = models.TextField(_("caption"), blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    place_name = models.CharField(_("place name"), max_length=255, blank=True)
    place_address = models.CharField(_("place address"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="whatsapp-media/%Y/%m/", blank=True, max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(_("error"), max_length=500, blank=True)
    transcript = models.TextField(_("transcript"), blank=True)
    downloaded_at = models.DateTimeField(_("downloaded"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("message media")
        verbose_name_plural = _("message media")
        indexes = [models.Index(fields=["status", "created_at"], name="media_status_created")]

    def __str__(self) -> str:
        return f"{self.kind} {self.media_id or self.place_name}".strip()

    @property
    def map_url(self) -> str:
        """Google Maps at a location's coordinates ("" without them)."""
        if self.latitude is None or self.longitude is None:
            return ""
        return f"https://www.google.com/maps/search/?api=1&query={self.latitude},{self.longitude}"
