from django.core.management.base import BaseCommand, CommandError

from security.chain import chain_name, verify_chains
from tenants.models import Tenant


class Command(BaseCommand):
    help = ("Recompute the audit trail's hash chains (every hotel's and the global one) and fail "
            "naming the first event that was changed, removed or reordered.")

    def add_arguments(self, parser):
        parser.add_argument("--tenant", metavar="SLUG", help="Only this hotel's chain.")

    def handle(self, *args, tenant, **options):
        chains = None
        if tenant:
            hotel = Tenant.objects.filter(slug=tenant).first()
            if hotel is None:
                raise CommandError(f"No hotel with slug {tenant!r}.")
            chains = [chain_name(hotel.pk)]
        reports = verify_chains(chains)
        for report in reports:
            if report.ok:
                self.stdout.write(f"{report.chain}: {report.events} events, head {report.head[:16]}…")
        broken = [report for report in reports if not report.ok]
        if broken:
            raise CommandError("\n".join(
                f"Audit chain {report.chain} is broken at {report.broken}" for report in broken
            ))
        events = sum(report.events for report in reports)
        chains = f"{len(reports)} chain" + ("" if len(reports) == 1 else "s")
        self.stdout.write(self.style.SUCCESS(f"{chains}, {events} events: all verify."))
