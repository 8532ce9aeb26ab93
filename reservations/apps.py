from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReservationsConfig(AppConfig):
    name = "reservations"
    verbose_name = _("Rooms and reservations")

    def ready(self):
        from . import warm_copy  # noqa: F401 - connects the warm copy's invalidation receivers
