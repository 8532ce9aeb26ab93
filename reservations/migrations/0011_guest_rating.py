"""StayRating becomes GuestRating (score, one per reservation): the post-stay
survey's answer. A rename, not a new table: ratings already stored are kept."""
import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reservations', '0010_model_names'),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='stayrating', name='stay_rating_1_to_5'),
        migrations.RenameModel(old_name='StayRating', new_name='GuestRating'),
        migrations.RenameField(model_name='guestrating', old_name='rating', new_name='score'),
        migrations.AlterField(
            model_name='guestrating',
            name='score',
            field=models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='score'),
        ),
        migrations.AlterModelOptions(
            name='guestrating',
            options={'ordering': ['-created_at'], 'verbose_name': 'guest rating', 'verbose_name_plural': 'guest ratings'},
        ),
        migrations.AddConstraint(
            model_name='guestrating',
            constraint=models.CheckConstraint(condition=models.Q(('score__gte', 1), ('score__lte', 5)), name='guest_rating_1_to_5'),
        ),
        migrations.AddConstraint(
            model_name='guestrating',
            constraint=models.UniqueConstraint(condition=models.Q(('reservation__isnull', False)), fields=('reservation',), name='uniq_guest_rating_per_stay'),
        ),
    ]
