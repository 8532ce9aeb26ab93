from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


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
        "tenants.Tenant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event_type = models.CharField(max_length=32, choices=Type.choices)
    action = models.CharField(max_length=64, blank=True)
    actor = models.CharField(max_length=128, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    resource = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    # Set by security.chain before hashing (auto_now_add would overwrite it on insert).
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    # Tamper evidence: each event extends its chain ("tenant:<id>" or "global").
    chain = models.CharField(max_length=32, blank=True, editable=False)
    sequence = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = ScopedManager(tenant="tenant")

    class Meta:
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


class BlacklistEntry(models.Model):
    """A guest the hotel (or, with no tenant, every hotel) refuses to book."""

    tenant = models.ForeignKey(
        "tenants.Tenant", null=True, blank=True, on_delete=models.CASCADE,
        related_name="blacklist_entries", help_text=_("Empty means every hotel."),
    )
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=20, blank=True, db_index=True)
    reason = models.CharField(max_length=500)
    expires_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Global entries (tenant NULL) apply to every hotel, so lookups go through
    # security.blacklist.is_blacklisted, which states the tenant explicitly.
    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name_plural = "blacklist entries"
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="blacklist_email_or_phone"
            )
        ]

    def __str__(self) -> str:
        return self.email or self.phone


class ApiKey(models.Model):
    """A hotel's API credential. Only a SHA-256 digest is stored; the readable
    prefix lets staff tell keys apart and lets us find the row in one lookup."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    hashed_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Set when a rotation replaces the key: the overlap ends here.")
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ManagedSecret(models.Model):
    """One version of a named secret (a hotel's or global), encrypted at rest with
    MultiFernet under SECRETS_ENCRYPTION_KEYS. Rotation adds a version; older
    versions keep verifying until `expires_at`."""

    name = models.CharField(max_length=64)
    tenant = models.ForeignKey(
        "tenants.Tenant", null=True, blank=True, on_delete=models.CASCADE, related_name="secrets"
    )
    version = models.PositiveIntegerField()
    encrypted_value = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
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
