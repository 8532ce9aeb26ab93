"""The guest blacklist: who a hotel, or every hotel, refuses to book.

The booking service asks `is_blacklisted`; staff change the list through the
functions below, from the admin screen or a CSV import. Addresses are stored the
way the booking rules normalize a guest's (lower-case email, E.164 phone read
with the hotel's country), so the lookup is an exact match. Every change is a
DATA_MODIFICATION audit event on `blacklist:<id>` that names what changed, never
the guest's address or the reason.
"""
import csv
import datetime
import io
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.models import Tenant, TenantMembership

from . import audit
from .models import BlacklistEntry
from .validation import sanitize_text

REASON_MAX_LENGTH = BlacklistEntry._meta.get_field("reason").max_length
EXPIRES_AT = BlacklistEntry._meta.get_field("expires_at")
IMPORT_COLUMNS = ("email", "phone", "reason", "expires_at", "tenant")
MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_ROWS = 5000


def is_blacklisted(*, tenant, email: str = "", phone: str = "") -> bool:
    """True when an active, unexpired entry of this hotel or a global one names
    the guest's email or phone. Callers pass normalized addresses. An entry stops
    applying at the instant it expires."""
    who = Q()
    if email:
        who |= Q(email=email)
    if phone:
        who |= Q(phone=phone)
    if not who:
        return False
    return _in_force(
        BlacklistEntry.objects.with_scopes_disabled()
        .filter(Q(tenant=tenant) | Q(tenant__isnull=True), who)
    ).exists()


def _in_force(entries):
    now = timezone.now()
    return entries.filter(is_active=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def may_manage(user, tenant: Tenant | None) -> bool:
    """Superusers manage every list, the global one included; a hotel's managers manage its own."""
    if user.is_superuser:
        return True
    if tenant is None:
        return False
    return TenantMembership.objects.with_scopes_disabled().filter(
        user=user, tenant=tenant, role=TenantMembership.Role.MANAGER
    ).exists()


def clean_entry_fields(*, tenant: Tenant | None, email: str, phone: str, reason: str) -> dict[str, str]:
    """{email, phone, reason} as stored, or ValidationError keyed by field. The
    addresses are read as the model stores them (BlacklistEntry.contact_as_stored)."""
    errors: dict[str, list] = {}
    cleaned = {"email": "", "phone": "", "reason": ""}
    try:
        cleaned.update(BlacklistEntry.contact_as_stored(tenant=tenant, email=email, phone=phone))
    except ValidationError as error:
        errors.update(error.error_dict)
    if not (email or "").strip() and not (phone or "").strip():
        errors["email"] = [ValidationError(_("Give an email, a phone or both."), code="missing_contact")]
    try:
        cleaned["reason"] = sanitize_text(reason, max_length=REASON_MAX_LENGTH)
    except ValidationError as error:
        errors["reason"] = error.error_list
    else:
        if not cleaned["reason"]:
            errors["reason"] = [ValidationError(_("Say why this guest is refused."), code="missing_reason")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _audit(action: str, *, tenant, user, ip_address, resource: str, details: dict) -> None:
    audit.record(
        audit.Type.DATA_MODIFICATION, tenant=tenant, action=action, actor=f"user:{user.pk}",
        ip_address=ip_address, resource=resource, details=details,
    )


def _scope(tenant) -> str:
    return "hotel" if tenant is not None else "every_hotel"


def blacklist_entry_save(
    *, entry: BlacklistEntry, user, ip_address: str | None = None, changed=()
) -> BlacklistEntry:
    """Add `entry` (recording who made it) or save the changes to it. `changed`
    names the fields that changed, for the audit trail."""
    if not may_manage(user, entry.tenant):
        raise PermissionDenied
    fields = clean_entry_fields(tenant=entry.tenant, email=entry.email, phone=entry.phone,
                                reason=entry.reason)
    for name, value in fields.items():
        setattr(entry, name, value)
    adding = entry.pk is None
    if adding:
        entry.created_by = user
    with transaction.atomic():
        entry.save()
        if adding:
            details = {"scope": _scope(entry.tenant), "matches": [f for f in ("email", "phone") if fields[f]],
                       "expires": entry.expires_at is not None, "active": entry.is_active}
        else:
            details = {"changed": sorted(changed)}
        _audit("blacklist_entry_added" if adding else "blacklist_entry_changed", tenant=entry.tenant,
               user=user, ip_address=ip_address, resource=f"blacklist:{entry.pk}", details=details)
    return entry


def blacklist_entry_delete(*, entry: BlacklistEntry, user, ip_address: str | None = None) -> None:
    if not may_manage(user, entry.tenant):
        raise PermissionDenied
    with transaction.atomic():
        entry_id = entry.pk
        entry.delete()
        _audit("blacklist_entry_deleted", tenant=entry.tenant, user=user, ip_address=ip_address,
               resource=f"blacklist:{entry_id}", details={"scope": _scope(entry.tenant)})


# --- CSV import ---------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    column: str
    code: str
    message: str


@dataclass
class ImportRow:
    """One line of the file and what became of it."""

    line: int
    email: str
    phone: str
    tenant: str
    entry_id: int | None = None
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def imported(self) -> bool:
        return self.entry_id is not None

    @property
    def codes(self) -> list[str]:
        return [problem.code for problem in self.problems]


@dataclass
class ImportReport:
    """Per row, what was imported and what was rejected and why. `problems` are
    faults of the whole file (unreadable, wrong columns, too long): then nothing
    was imported."""

    rows: list[ImportRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def imported(self) -> list[ImportRow]:
        return [row for row in self.rows if row.imported]

    @property
    def rejected(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.imported]


def _read_csv(file, report: ImportReport) -> list[tuple[int, dict[str, str]]]:
    raw = file.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        report.problems.append(_("The file is larger than %(size)d kB.") % {"size": MAX_IMPORT_BYTES // 1000})
        return []
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        report.problems.append(_("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”."))
        return []
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as error:
        report.problems.append(_("The file is not valid CSV: %(error)s") % {"error": error})
        return []
    if not lines:
        report.problems.append(_("The file is empty."))
        return []
    header = [name.strip().lower() for name in lines[0]]
    known = all(name in IMPORT_COLUMNS for name in header) and len(set(header)) == len(header)
    if not known or "reason" not in header or not {"email", "phone"} & set(header):
        report.problems.append(
            _("The first line must name the columns: email, phone, reason and optionally expires_at and "
              "tenant, each once (found: %(found)s).") % {"found": ", ".join(header) or "-"}
        )
        return []
    rows = []
    for number, values in enumerate(lines[1:], start=2):
        if not any(value.strip() for value in values):
            continue
        row = dict.fromkeys(IMPORT_COLUMNS, "")
        row.update(zip(header, values, strict=False))
        if len(values) > len(header):
            row["_extra"] = "1"
        rows.append((number, row))
    if len(rows) > MAX_IMPORT_ROWS:
        report.problems.append(_("The file has more than %(max)d rows; split it.") % {"max": MAX_IMPORT_ROWS})
        return []
    return rows


def _expiry(value: str, tenant: Tenant | None) -> datetime.datetime | None:
    """ISO date or date-time. A date means the entry stops applying when that day
    starts at the hotel; times without a zone are the hotel's too (UTC for global).
    It must lie ahead, within the range the model field accepts."""
    value = value.strip()
    if not value:
        return None
    try:
        moment = (
            datetime.datetime.combine(datetime.date.fromisoformat(value), datetime.time())
            if len(value) == 10 else datetime.datetime.fromisoformat(value)
        )
    except ValueError:
        raise ValidationError(
            _("Write the expiry as an ISO date (2027-01-31) or date-time (2027-01-31T12:00)."),
            code="invalid_expiry",
        ) from None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=tenant.tzinfo if tenant else datetime.UTC)
    if moment <= timezone.now():
        raise ValidationError(_("This expiry has already passed."), code="expired")
    EXPIRES_AT.run_validators(moment)
    return moment


class _Tenants:
    """Which hotel a row goes to: the one chosen for the import, or for superusers the
    row's `tenant` slug. Other people's slugs are refused without saying whether
    such a hotel exists."""

    def __init__(self, *, tenant, user):
        self.tenant, self.user = tenant, user
        self.by_slug: dict[str, Tenant | None] = {}

    def for_row(self, slug: str) -> Tenant | None:
        slug = slug.strip()
        if not slug or (self.tenant is not None and slug == self.tenant.slug):
            return self.tenant
        if not self.user.is_superuser:
            raise ValidationError(_("You may not import into that hotel."), code="no_permission")
        if slug not in self.by_slug:
            self.by_slug[slug] = Tenant.objects.filter(slug=slug).first()
        if self.by_slug[slug] is None:
            raise ValidationError(_("There is no hotel %(slug)s.") % {"slug": slug}, code="unknown_tenant")
        return self.by_slug[slug]


def _problems(error: ValidationError, column: str) -> list[RowProblem]:
    if hasattr(error, "error_dict"):
        return [
            RowProblem(name, item.code or "invalid", " ".join(item.messages))
            for name, items in error.error_dict.items() for item in items
        ]
    return [RowProblem(column, item.code or "invalid", " ".join(item.messages)) for item in error.error_list]


def _import_row(number: int, values: dict[str, str], *, tenants: _Tenants, user, seen: dict) -> ImportRow:
    row = ImportRow(line=number, email=values["email"].strip()[:254], phone=values["phone"].strip()[:32],
                    tenant=values["tenant"].strip()[:64])
    if values.get("_extra"):
        row.problems.append(RowProblem("", "too_many_values", _("This row has more values than columns.")))
    try:
        tenant = tenants.for_row(values["tenant"])
    except ValidationError as error:
        row.problems += _problems(error, "tenant")
        return row
    if not may_manage(user, tenant):
        row.problems.append(RowProblem("tenant", "no_permission", _("You may not import into that hotel.")))
        return row
    fields, expires_at = {}, None
    try:
        fields = clean_entry_fields(tenant=tenant, email=values["email"], phone=values["phone"],
                                    reason=values["reason"])
        row.email, row.phone = fields["email"], fields["phone"]
    except ValidationError as error:
        row.problems += _problems(error, "")
    try:
        expires_at = _expiry(values["expires_at"], tenant)
    except ValidationError as error:
        row.problems += _problems(error, "expires_at")
    if row.problems:
        return row
    key = (tenant.pk if tenant else None, fields["email"], fields["phone"])
    existing = _in_force(BlacklistEntry.objects.with_scopes_disabled().filter(
        tenant=tenant, email=fields["email"], phone=fields["phone"]
    )).exists()
    if key in seen or existing:
        message = (_("The same guest is on line %(line)d.") % {"line": seen[key]} if key in seen
                   else _("This guest is already on the list."))
        row.problems.append(RowProblem("", "duplicate", message))
        return row
    try:
        with transaction.atomic():
            entry = BlacklistEntry.objects.create(
                tenant=tenant, expires_at=expires_at, created_by=user, **fields
            )
    except IntegrityError:
        row.problems.append(RowProblem("", "not_saved", _("This row could not be saved.")))
        return row
    seen[key] = number
    row.entry_id = entry.pk
    return row


def blacklist_import_csv(*, file, tenant: Tenant | None, user, ip_address: str | None = None) -> ImportReport:
    """Add one entry per valid row of a CSV file (columns email, phone, reason,
    expires_at, tenant) to `tenant`'s list; superusers may leave `tenant` empty and
    name each row's hotel, or none for every hotel. A rejected row writes nothing;
    the others are imported. One audit event sums the import up."""
    if tenant is not None and not may_manage(user, tenant) or tenant is None and not user.is_superuser:
        raise PermissionDenied
    report = ImportReport()
    rows = _read_csv(file, report)
    if report.problems:
        return report
    tenants, seen = _Tenants(tenant=tenant, user=user), {}
    with transaction.atomic():
        for number, values in rows:
            report.rows.append(_import_row(number, values, tenants=tenants, user=user, seen=seen))
        rejections = Counter(code for row in report.rejected for code in row.codes)
        _audit("blacklist_imported", tenant=tenant, user=user, ip_address=ip_address,
               resource="blacklist:import", details={
                   "scope": _scope(tenant), "rows": len(report.rows), "imported": len(report.imported),
                   "rejected": len(report.rejected), "rejections": dict(sorted(rejections.items())),
                   "entries": [row.entry_id for row in report.imported],
               })
    return report
