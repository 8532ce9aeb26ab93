from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Messaging"

    def ready(self) -> None:
        from . import booking_outcomes, resolution  # noqa: F401 - connect their signal receivers
