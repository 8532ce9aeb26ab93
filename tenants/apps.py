from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Hotels")

    def ready(self) -> None:
        from . import staff_language  # noqa: F401  (connects the sign-in receiver)
