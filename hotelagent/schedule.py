"""The periodic tasks the product needs, kept by django-celery-beat in the database.

One beat process runs `DatabaseScheduler`, which reads the PeriodicTask rows
superusers see and edit in the admin (Periodic tasks). `settings.PERIODIC_TASKS`
is only the default: `install_default_schedule` creates the tasks that have no
row yet — by the data migration hotelagent/0002, and again after every
`migrate` (post_migrate), so a task added in a later release appears by itself
— and never touches a row that exists, so an operator's edit (another period,
disabled) survives upgrades. Deleting a row brings the default back at the next
migrate: disable a task instead.

Why not CELERY_BEAT_SCHEDULE: django-celery-beat writes that setting over the
database rows each time beat starts, which would undo every edit made in the
admin. So the setting is left empty and the defaults live here.
"""
from django.conf import settings


def install_default_schedule(apps=None) -> list[str]:
    """Create the missing default periodic tasks; returns the names created.
    `apps` is a migration's app registry (historical models) or None for the
    current models."""
    if apps is None:
        from django.apps import apps
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    existing = set(periodic_task.objects.values_list("name", flat=True))
    created = []
    for name, entry in settings.PERIODIC_TASKS.items():
        if name in existing:
            continue
        every, _ = interval.objects.get_or_create(every=int(entry["schedule"]), period="seconds")
        periodic_task.objects.create(
            name=name, task=entry["task"], interval=every, description=entry.get("description", ""),
        )
        created.append(name)
    return created


def install_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver: the defaults a newer release added, and those a
    test database's flush removed."""
    from django.apps import apps

    if not apps.is_installed("django_celery_beat") or using != "default":
        return
    install_default_schedule()
