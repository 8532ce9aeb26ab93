from django.core.management.base import BaseCommand, CommandError

from reservations.models import RoomType
from reservations.services import inventory_sync
from reservations.services.inventory import DEFAULT_HORIZON_DAYS
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Keep every room type's nights open from today through --days ahead."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DEFAULT_HORIZON_DAYS)
        parser.add_argument("--tenant", metavar="SLUG", help="Only this hotel.")

    def handle(self, *args, days, tenant, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        room_types = RoomType.objects.with_scopes_disabled().select_related("tenant")
        if tenant:
            if not Tenant.objects.filter(slug=tenant).exists():
                raise CommandError(f"No hotel with slug {tenant!r}.")
            room_types = room_types.filter(tenant__slug=tenant)
        opened = 0
        room_types = list(room_types.order_by("tenant__slug", "code"))
        for room_type in room_types:
            nights = inventory_sync(room_type=room_type, days=days)
            opened += nights
            if options["verbosity"] > 1:
                self.stdout.write(f"{room_type.tenant.slug} {room_type.code}: {nights} nights opened")
        self.stdout.write(
            f"Opened {opened} nights across {len(room_types)} room types ({days} days ahead)."
        )
