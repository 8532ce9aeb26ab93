from django.core.management.base import BaseCommand, CommandError

from security.api_keys import api_key_create
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Create an API key for a hotel and print it, once. The key is the last word of the output."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, metavar="SLUG", help="The hotel's slug.")
        parser.add_argument("--name", default="cli", help="What the key is for (default: cli).")

    def handle(self, *args, tenant, name, **options):
        hotel = Tenant.objects.filter(slug=tenant).first()
        if hotel is None:
            raise CommandError(f"No hotel with slug {tenant!r}.")
        api_key, raw_key = api_key_create(tenant=hotel, name=name, actor="cli:create_api_key")
        self.stdout.write(f"Created API key “{api_key.name}” ({api_key.prefix}) for {hotel.name}.")
        self.stdout.write("It is not stored anywhere and will not be shown again:")
        self.stdout.write(raw_key)
