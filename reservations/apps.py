from django.apps import AppConfig


class ReservationsConfig(AppConfig):
    name = "reservations"
    verbose_name = "Rooms and reservations"

    def ready(self):
        from . import warm_copy  # noqa: F401 - connects the warm copy's invalidation receivers
