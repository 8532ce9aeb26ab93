from django.apps import AppConfig


class HotelAgentConfig(AppConfig):
    """The project package as an app: product-wide operations that belong to no
    hotel (the autoscaling evaluation and its decisions). Its label is
    "hotelagent"; the admin's own config (hotelagent.admin_site) keeps "admin"."""

    name = "hotelagent"
    label = "hotelagent"
    verbose_name = "Operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .scaling import metrics

        metrics.register()
