import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from reservations.services.demo import HOTELS, demo_seed
from webhooks.demo import demo_templates

HEADER = "# hotelagent demo credentials, written by `manage.py seed_demo`. Keep private."
DATABASE_MARK = "# database: "


def database_name() -> str:
    """Which database the saved credentials belong to, so a file left over from
    another database (or a deleted SQLite file) is not shown as current."""
    db = connection.settings_dict
    return f"{db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST') or ''}{db.get('PORT') or ''} {db['NAME']}"


def read_credentials(path: Path) -> tuple[str, dict[str, str]]:
    database, saved = "", {}
    if path.exists():
        for line in path.read_text().splitlines():
            if line.startswith(DATABASE_MARK):
                database = line.removeprefix(DATABASE_MARK)
            elif line and not line.startswith("#"):
                label, _sep, secret = line.rpartition(": ")
                saved[label] = secret
    return database, saved


def write_credentials(path: Path, saved: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [HEADER, DATABASE_MARK + database_name()]
    lines += [f"{label}: {secret}" for label, secret in saved.items()]
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write("\n".join(lines) + "\n")
    path.chmod(0o600)  # also when the file existed with wider permissions


class Command(BaseCommand):
    help = (
        "Create demo hotels, staff and API keys (idempotent). Credentials are printed when this run "
        "creates them and saved to var/demo-credentials.txt; later runs print them with --show-credentials."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--credentials-file", type=Path, default=Path(settings.BASE_DIR) / "var" / "demo-credentials.txt",
        )
        parser.add_argument(
            "--show-credentials", action="store_true",
            help="Also print the credentials earlier runs created (from the credentials file).",
        )

    def handle(self, *args, credentials_file: Path, show_credentials: bool, **options):
        seed = demo_seed()
        templates = demo_templates([spec["slug"] for spec in HOTELS])
        self.stdout.write(
            f"Demo data ready: {seed.hotels_created} hotels and {seed.room_types_created} room types "
            f"created, {seed.nights_opened} nights opened, {seed.reservations_created} demo reservations "
            f"made, {templates} WhatsApp templates added."
        )
        saved_for, saved = read_credentials(credentials_file)
        if saved_for != database_name():
            saved = {}
        new = {credential.label: credential.secret for credential in seed.credentials}
        if new:
            saved.update(new)
            write_credentials(credentials_file, saved)
            self._list(f"New credentials (saved to {credentials_file}, readable by you only):", new)
        earlier = {label: secret for label, secret in saved.items() if label not in new}
        if earlier and show_credentials:
            self._list(f"Credentials created earlier, from {credentials_file}:", earlier)
        elif earlier and not new:
            self.stdout.write(
                f"Credentials were created earlier and are kept in {credentials_file}; "
                "`manage.py seed_demo --show-credentials` prints them."
            )
        elif not saved:
            self.stdout.write(
                f"Credentials were created earlier but {credentials_file} does not hold them. "
                "Use `manage.py changepassword admin` and `manage.py create_api_key --tenant hotel-sol`."
            )

    def _list(self, title: str, credentials: dict[str, str]) -> None:
        self.stdout.write(title)
        for label, secret in credentials.items():
            self.stdout.write(f"  {label}: {secret}")
