from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotelAgentConfig(AppConfig):
    """The project package as an app: product-wide operations that belong to no
    hotel (the autoscaling evaluation and its decisions). Its label is
    "hotelagent"; the admin's own config (hotelagent.admin_site) keeps "admin"."""

    name = "hotelagent"
    label = "hotelagent"
    verbose_name = _("Operations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .scaling import metrics
        from .schedule import install_after_migrate

        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="hotelagent-default-schedule")

        metrics.register()
        from . import celery_health  # noqa: F401 - registers the beat, queue and secret gauges
