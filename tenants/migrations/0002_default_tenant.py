"""Messages that match no hotel are routed to the `default` tenant, so it must always exist."""
from django.db import migrations


def create_default_tenant(apps, schema_editor):
    Tenant = apps.get_model("tenants", "Tenant")
    Tenant.objects.get_or_create(
        slug="default",
        defaults={"name": "Default", "timezone": "UTC", "country": "ES", "currency": "EUR",
                  "language": "es"},
    )


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial")]

    operations = [migrations.RunPython(create_default_tenant, migrations.RunPython.noop)]
