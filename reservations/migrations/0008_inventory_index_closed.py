from django.db import migrations, models


class Migration(migrations.Migration):
    """A closed night sells nothing: the availability read carries `closed` in its
    covering index so it stays an index-only scan."""

    dependencies = [
        ('reservations', '0007_active_stays'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='nightlyinventory',
            name='inventory_availability',
        ),
        migrations.AddIndex(
            model_name='nightlyinventory',
            index=models.Index(
                fields=['room_type', 'date', 'rooms_total', 'rooms_booked', 'rate_override', 'closed'],
                name='inventory_availability',
            ),
        ),
    ]
