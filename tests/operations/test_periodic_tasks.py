"""The schedule lives in the database (django-celery-beat): every periodic task the
product needs is there after migrate, an operator's edit survives upgrades, and
superusers (only) edit it in the admin."""
import pytest
from django.conf import settings
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from hotelagent.celery import app as celery_app
from hotelagent.schedule import install_default_schedule
from tests.admin.pages import admin_url
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_superuser(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


@pytest.fixture
def as_manager(client, tenant):
    client.force_login(MembershipFactory(tenant=tenant, role="manager").user)
    return client

EVERY_TASK = {
    "webhooks.tasks.sweep_inbound": 60,
    "webhooks.tasks.sweep_outbound": 60,
    "webhooks.media.sweep_pending_media": 5 * 60,
    "webhooks.tasks.hand_over_waiting_questions": 5 * 60,
    "webhooks.tasks.send_guest_messages": 15 * 60,
    "reservations.tasks.extend_inventory": 24 * 60 * 60,
    "reservations.tasks.purge_idempotency_keys": 24 * 60 * 60,
    "reservations.tasks.retry_pending_bookings": 60,
    "reservations.tasks.warm_caches": 30 * 60,
    "security.rotation.rotate_due_secrets": 60 * 60,
    "security.tasks.verify_audit_chains": 60 * 60,
    "hotelagent.tasks.evaluate_scaling": 60,
}


def schedule() -> dict[str, int]:
    return {task.task: task.interval.every for task in PeriodicTask.objects.select_related("interval")
            if task.enabled}


def test_every_periodic_task_is_in_the_database_after_migrate():
    assert schedule() == EVERY_TASK
    assert all(task.description for task in PeriodicTask.objects.all())


def test_every_scheduled_task_is_one_a_worker_knows():
    celery_app.loader.import_default_modules()

    assert set(schedule()) <= set(celery_app.tasks)


def test_beat_reads_the_database_and_nothing_overrides_it():
    assert celery_app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert not celery_app.conf.beat_schedule  # it would be written over the admin's edits at each start


def test_an_operators_edit_survives_and_only_missing_tasks_come_back():
    hourly, _ = IntervalSchedule.objects.get_or_create(every=3600, period="seconds")
    PeriodicTask.objects.filter(name="warm-caches").update(interval=hourly, enabled=False)
    PeriodicTask.objects.filter(name="evaluate-scaling").delete()

    assert install_default_schedule() == ["evaluate-scaling"]
    assert install_default_schedule() == []

    edited = PeriodicTask.objects.get(name="warm-caches")
    assert (edited.enabled, edited.interval.every) == (False, 3600)
    assert PeriodicTask.objects.get(name="evaluate-scaling").interval.every == 60


def test_the_defaults_follow_settings(settings):
    PeriodicTask.objects.all().delete()
    settings.PERIODIC_TASKS = {**settings.PERIODIC_TASKS, "sweep-unsent-replies": {
        "task": "webhooks.tasks.sweep_outbound", "schedule": 15, "description": "faster"}}

    install_default_schedule()

    assert schedule()["webhooks.tasks.sweep_outbound"] == 15


def test_superusers_edit_the_schedule_in_the_admin(as_superuser):
    task = PeriodicTask.objects.get(name="warm-caches")

    assert as_superuser.get(admin_url(PeriodicTask, "changelist")).status_code == 200
    page = as_superuser.get(admin_url(PeriodicTask, "change", task.pk))
    assert page.status_code == 200
    assert "reservations.tasks.warm_caches" in page.content.decode()


def test_hotel_staff_do_not_see_the_schedule(as_manager):
    assert as_manager.get(admin_url(PeriodicTask, "changelist")).status_code == 403


def test_the_names_match_the_settings():
    assert set(PeriodicTask.objects.values_list("name", flat=True)) >= set(settings.PERIODIC_TASKS)
