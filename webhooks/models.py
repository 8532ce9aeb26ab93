import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tenants.models import Tenant

CONVERSATION_TTL = datetime.timedelta(hours=24)


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

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inbound", "sequence"], name="uniq_reply_per_inbound")
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
