from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .validation import normalize_email, normalize_phone, validate_expiry, validate_storable_moment


class AuditEvent(models.Model):
    """Something that happened which an operator may need to prove later.

    Written only through security.audit.record, which chains every event
    (security.chain); on PostgreSQL a trigger refuses UPDATE and DELETE.
    """

    class Type(models.TextChoices):
        DATA_ACCESS = "DATA_ACCESS"
        DATA_MODIFICATION = "DATA_MODIFICATION"
        ACCESS_DENIED = "ACCESS_DENIED"
        SUSPICIOUS_ACTIVITY = "SUSPICIOUS_ACTIVITY"
        AUTH_FAILURE = "AUTH_FAILURE"
        AUTH_SUCCESS = "AUTH_SUCCESS"
        CONFIGURATION = "CONFIGURATION"
        SECRET_ROTATED = "SECRET_ROTATED"  # noqa: S105 - an event type, not a secret

    tenant = models.ForeignKey(
        "tenants.Tenant", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("hotel"),
    )
    event_type = models.CharField(_("event type"), max_length=32, choices=Type.choices)
    action = models.CharField(_("action"), max_length=64, blank=True)
    actor = models.CharField(_("actor"), max_length=128, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    resource = models.CharField(_("resource"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    # Set by security.chain before hashing (auto_now_add would overwrite it on insert).
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False, db_index=True)
    # Tamper evidence: each event extends its chain ("tenant:<id>" or "global").
    chain = models.CharField(_("chain"), max_length=32, blank=True, editable=False)
    sequence = models.PositiveBigIntegerField(_("sequence"), null=True, blank=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "event_type", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "sequence"], name="uniq_audit_chain_sequence",
                condition=Q(sequence__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.action} {self.resource}"


class BlacklistEntryManager(models.Manager):
    """bulk_create and bulk_update skip save(): they normalize here."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for entry in objs:
            entry.normalize_contact()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if {"email", "phone"} & set(fields):
            for entry in objs:
                entry.normalize_contact()
        return super().bulk_update(objs, fields, *args, **kwargs)


class BlacklistEntry(models.Model):
    """A guest the hotel (or, with no tenant, every hotel) refuses to book.

    is_blacklisted matches exactly, so the entry stores addresses the way the
    booking rules store a guest's: the email lower-case, the phone in E.164 read
    with the hotel's country. save(), clean(), bulk_create/bulk_update and fixture
    loads all pass through normalize_contact, so an entry made from the shell, a
    fixture or an import matches like one made in the admin. QuerySet.update() and
    data migrations (historical models have no methods) do not: normalize with
    security.validation there, as migration 0004 does.
    """

    tenant = models.ForeignKey(
        "tenants.Tenant", null=True, blank=True, on_delete=models.CASCADE,
        related_name="blacklist_entries", help_text=_("Empty means every hotel."),
        verbose_name=_("hotel"),
    )
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    reason = models.CharField(_("reason"), max_length=500)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, validators=[validate_expiry])
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Global entries (tenant NULL) apply to every hotel, so lookups go through
    # security.blacklist.is_blacklisted, which states the tenant explicitly.
    objects = ScopedManager(tenant="tenant", _manager_class=BlacklistEntryManager)

    class Meta:
        verbose_name = _("blacklist entry")
        verbose_name_plural = _("blacklist entries")
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="blacklist_email_or_phone"
            )
        ]

    def __str__(self) -> str:
        return self.email or self.phone

    def save(self, *args, **kwargs):
        self.normalize_contact()
        try:
            validate_storable_moment(self.expires_at)
        except ValidationError as error:
            raise ValidationError({"expires_at": error.error_list}) from None
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.normalize_contact()

    @staticmethod
    def contact_as_stored(*, tenant, email: str, phone: str) -> dict[str, str]:
        """{email, phone} as an entry of `tenant` (None: every hotel) stores them, or
        ValidationError keyed by field. Entries for every hotel have no country to
        read a national number with, so their phones must be international (+…)."""
        errors: dict[str, list] = {}
        cleaned = {"email": (email or "").strip(), "phone": (phone or "").strip()}
        if cleaned["email"]:
            try:
                cleaned["email"] = normalize_email(cleaned["email"])
            except ValidationError as error:
                errors["email"] = error.error_list
        if cleaned["phone"] and tenant is None and not cleaned["phone"].startswith("+"):
            errors["phone"] = [ValidationError(
                _("An entry for every hotel needs the phone in international format, starting with +."),
                code="invalid_phone",
            )]
        elif cleaned["phone"]:
            try:
                region = tenant.country if tenant else None
                cleaned["phone"] = normalize_phone(cleaned["phone"], region=region)
            except ValidationError as error:
                errors["phone"] = error.error_list
        if errors:
            raise ValidationError(errors)
        return cleaned

    def normalize_contact(self) -> None:
        tenant = self.tenant if self.tenant_id is not None else None
        contact = self.contact_as_stored(tenant=tenant, email=self.email, phone=self.phone)
        self.email, self.phone = contact["email"], contact["phone"]


@receiver(pre_save, sender=BlacklistEntry, dispatch_uid="security.normalize_loaded_blacklist_entry")
def _normalize_loaded_entry(sender, instance, raw, **kwargs):
    """loaddata saves through Model.save_base, past save()."""
    if raw:
        instance.normalize_contact()


class ApiKey(models.Model):
    """A hotel's API credential. Only a SHA-256 digest is stored; the readable
    prefix lets staff tell keys apart and lets us find the row in one lookup."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("hotel"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    hashed_key = models.CharField(_("hashed key"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expires_at = models.DateTimeField(
        _("expires"),
        null=True, blank=True, help_text=_("Set when a rotation replaces the key: the overlap ends here.")
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ManagedSecret(models.Model):
    """One version of a named secret (a hotel's or global), encrypted at rest with
    MultiFernet under SECRETS_ENCRYPTION_KEYS. Rotation adds a version; older
    versions keep verifying until `expires_at`."""

    name = models.CharField(_("name"), max_length=64)
    tenant = models.ForeignKey(
        "tenants.Tenant", null=True, blank=True, on_delete=models.CASCADE, related_name="secrets",
        verbose_name=_("hotel"),
    )
    version = models.PositiveIntegerField(_("version"))
    encrypted_value = models.TextField(_("encrypted value"), editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("managed secret")
        verbose_name_plural = _("managed secrets")
        ordering = ["name", "tenant", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "tenant", "version"], name="uniq_tenant_secret_version",
                condition=Q(tenant__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["name", "version"], name="uniq_global_secret_version",
                condition=Q(tenant__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
