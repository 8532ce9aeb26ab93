"""Blacklist entries that match, and expiries every page can read.

1. Addresses written past the admin form (shell, fixtures, imports) were stored as
   typed, and is_blacklisted matches exactly: emails become lower-case and phones
   E.164, read with the hotel's country. A value that cannot be read is left as it
   is (trimmed, emails lower-cased): it never matched a guest and still does not.
2. PostgreSQL accepted expiries the application cannot read back, such as
   9999-12-31 23:00 at UTC−5 (year 10000 in UTC), and the blacklist screen failed
   for that hotel. Expiries that close to year 10000 mean "never": they are cleared.
   Ones before year 1 are long passed: they become 1970-01-01, still passed.
3. expires_at accepts from 10 years ago to 10 years ahead (security.validation).

Rows are read without expires_at (an unreadable one would fail the read) and
written with UPDATE, past BlacklistEntry.save().
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import migrations, models

import security.validation
from security.validation import normalize_email, normalize_phone

UTC = datetime.UTC
# Within 14 hours (the widest UTC offset) of the end of year 9999 a moment can no
# longer be shown in every time zone.
LAST_READABLE = datetime.datetime(9999, 12, 31, tzinfo=UTC) - datetime.timedelta(hours=14)
FIRST_READABLE = datetime.datetime(1, 1, 1, tzinfo=UTC) + datetime.timedelta(hours=14)
LONG_PASSED = datetime.datetime(1970, 1, 1, tzinfo=UTC)


def _email(value: str) -> str:
    try:
        return normalize_email(value)
    except ValidationError:
        return (value or "").strip().lower()


def _phone(value: str, country: str | None) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return normalize_phone(value, region=country or None)
    except ValidationError:
        return value


def normalize_addresses(apps, schema_editor):
    entries = apps.get_model("security", "BlacklistEntry")._base_manager
    rows = list(entries.order_by("pk").values_list("pk", "email", "phone", "tenant__country"))
    for pk, email, phone, country in rows:
        stored = {"email": _email(email), "phone": _phone(phone, country)}
        if stored != {"email": email, "phone": phone}:
            entries.filter(pk=pk).update(**stored)


def clear_unreadable_expiries(apps, schema_editor):
    entries = apps.get_model("security", "BlacklistEntry")._base_manager
    entries.filter(expires_at__gt=LAST_READABLE).update(expires_at=None)
    entries.filter(expires_at__lt=FIRST_READABLE).update(expires_at=LONG_PASSED)


class Migration(migrations.Migration):

    dependencies = [
        ('security', '0003_audit_append_only'),
    ]

    operations = [
        migrations.RunPython(clear_unreadable_expiries, migrations.RunPython.noop),
        migrations.RunPython(normalize_addresses, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='blacklistentry',
            name='expires_at',
            field=models.DateTimeField(
                blank=True, null=True,
                validators=[security.validation.MomentInRange(years_ahead=10, years_back=10)],
            ),
        ),
    ]
