from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Messaging"

    def ready(self) -> None:
        from . import resolution  # noqa: F401 - connects cache invalidation signals
