from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Messaging")

    def ready(self) -> None:
        from . import booking_outcomes, resolution  # noqa: F401 - connect their signal receivers
