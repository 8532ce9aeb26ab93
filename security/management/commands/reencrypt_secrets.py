from django.core.management.base import BaseCommand

from security.secret_store import reencrypt_values


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored secret under the first key of SECRETS_ENCRYPTION_KEYS. Put a new key "
        "first, run this, then drop the old key."
    )

    def handle(self, *args, **options):
        count = reencrypt_values()
        self.stdout.write(f"Re-encrypted {count} secret version(s) under the first key.")
