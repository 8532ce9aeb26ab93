from django.core.management.base import BaseCommand, CommandError

from security.rotation import rotate, rotate_due
from security.secret_store import POLICIES
from tenants.models import Tenant


class Command(BaseCommand):
    help = (
        "Rotate the hotels' secrets that are due (what the hourly task does), or one secret now with "
        "--force. New API keys and webhook secrets are emailed to each hotel's managers and never printed "
        "(with the console email backend the messages go to files in var/emails/); this prints "
        "names and versions only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", metavar="NAME", choices=sorted(POLICIES),
                            help=f"Rotate this secret now, due or not: {', '.join(sorted(POLICIES))}.")
        parser.add_argument("--tenant", metavar="SLUG", help="Only this hotel (default: every active hotel).")

    def handle(self, *args, force, tenant, **options):
        if tenant:
            hotels = list(Tenant.objects.filter(slug=tenant))
            if not hotels:
                raise CommandError(f"No hotel with slug {tenant!r}.")
        else:
            hotels = list(Tenant.objects.filter(is_active=True).order_by("pk"))
        if force:
            rotated = [rotate(force, hotel, force=True, actor="command:rotate_secrets") for hotel in hotels]
            rotated = [version for version in rotated if version is not None]
        else:
            rotated = rotate_due(tenants=hotels, actor="command:rotate_secrets")
        for version in rotated:
            self.stdout.write(f"{version.tenant.name}: {version.name} is now version {version.version}.")
        self.stdout.write(f"Rotated {len(rotated)} secret(s) across {len(hotels)} hotel(s).")
