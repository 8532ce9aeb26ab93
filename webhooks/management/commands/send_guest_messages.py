"""Send the pre-arrival messages and post-stay surveys due, as beat does every
15 minutes; `--now` previews or replays another moment, `--dry-run` only counts."""
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tenants.models import Tenant
from webhooks.guest_messaging import send_guest_messages


class Command(BaseCommand):
    help = "Write the guest messages due (pre-arrival, post-stay survey) and print what was sent and skipped."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", metavar="SLUG", help="Only this hotel.")
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; write nothing.")
        parser.add_argument(
            "--now", metavar="ISO_DATETIME",
            help="Evaluate what is due as of this moment, e.g. 2027-03-10T10:00+01:00 (without an offset: "
                 "UTC). Default: now.",
        )

    def handle(self, *args, tenant: str | None, dry_run: bool, now: str | None, **options):
        hotel = None
        if tenant:
            hotel = Tenant.objects.filter(slug=tenant).first()
            if hotel is None:
                raise CommandError(f"No hotel with slug {tenant!r}.")
        moment = timezone.now()
        if now:
            try:
                moment = parse_datetime(now.strip())
            except ValueError:
                moment = None
            if moment is None:
                raise CommandError(f"--now: {now!r} is not an ISO date and time, e.g. 2027-03-10T10:00+01:00")
            if timezone.is_naive(moment):
                moment = moment.replace(tzinfo=datetime.UTC)
        summary = send_guest_messages(tenant=hotel, now=moment, dry_run=dry_run)
        for line in (hotel_summary.line(dry_run=dry_run) for hotel_summary in summary.hotels):
            self.stdout.write(line)
        skipped = ", ".join(f"{reason}: {count}" for reason, count in sorted(summary.skipped.items()))
        verb = "would send" if dry_run else "sent"
        self.stdout.write(self.style.SUCCESS(
            f"As of {moment.isoformat(timespec='minutes')}: {summary.due} due, {summary.sent} {verb}, "
            f"{sum(summary.skipped.values())} skipped" + (f" ({skipped})" if skipped else "") + "."
        ))
