from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Messaging")

    def ready(self) -> None:
        # Signal receivers, and the whatsapp_credentials system check (webhooks.W001).
        from . import booking_outcomes, media, resolution, whatsapp_credentials  # noqa: F401
