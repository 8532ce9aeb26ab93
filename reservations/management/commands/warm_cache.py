from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from reservations.cache_warming import warm
from reservations.rules import MAX_AVAILABILITY_ADVANCE_DAYS
from tenants.models import Tenant


class Command(BaseCommand):
    help = (
        "Warm the cache for every active hotel (or one): availability of one- and two-night stays "
        "arriving on each of the next --days days, each room type's rates for those nights, and the "
        "hotel's configuration (profile, room types, channel accounts). A QloApps hotel's answer is "
        "also kept as its last known copy for outages. Shows a progress bar on a terminal and ends "
        "with one line: hotels warmed, keys written, seconds. One hotel's failure does not stop the "
        "others; the exit status is 1 when any hotel failed, and the failed hotels are named with the "
        "reason on stderr. Beat runs the same warming every 30 minutes (reservations.tasks.warm_caches)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tenant", metavar="SLUG", help="Only this hotel (it must be active).")
        parser.add_argument(
            "--days", type=int, metavar="N", default=None,
            help=f"Arrival days to warm from each hotel's today (default CACHE_WARM_DAYS, "
                 f"now {settings.CACHE_WARM_DAYS}; at most {MAX_AVAILABILITY_ADVANCE_DAYS}).",
        )

    def handle(self, *args, tenant=None, days=None, **options):
        if days is not None and not 1 <= days <= MAX_AVAILABILITY_ADVANCE_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_AVAILABILITY_ADVANCE_DAYS}.")
        slugs = [self._active(tenant)] if tenant else None
        if self.stdout.isatty():
            report = self._with_progress_bar(slugs, days)
        else:
            report = warm(slugs=slugs, days=days)
        if isinstance(caches["default"], LocMemCache):
            self.stderr.write("The cache is this process's local memory (REDIS_URL is unset): "
                              "nothing warmed here outlives the command.")
        for slug, error in sorted(report.failures.items()):
            self.stderr.write(f"{slug}: {error}")
        hotels = report.hotels + len(report.failures)
        self.stdout.write(
            f"Warmed {report.hotels} of {hotels} hotel{'s' if hotels != 1 else ''}: "
            f"{report.keys} keys written in {report.seconds:.2f} s."
        )
        if report.failures:
            failed = sorted(report.failures)
            raise CommandError(f"{len(failed)} hotel{'s' if len(failed) != 1 else ''} not warmed: "
                               f"{', '.join(failed)}")

    def _active(self, slug: str) -> str:
        hotel = Tenant.objects.filter(slug=slug).first()
        if hotel is None:
            raise CommandError(f"No hotel with slug {slug!r}.")
        if not hotel.is_active:
            raise CommandError(f"{slug} is not active: only active hotels are warmed.")
        return slug

    def _with_progress_bar(self, slugs, days):
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=Console(file=self.stdout._out)) as progress:
            bar = progress.add_task("Warming", total=None)

            def advance(slug: str, done: int, total: int) -> None:
                progress.update(bar, total=total, completed=done, description=f"Warming {slug}")

            report = warm(slugs=slugs, days=days, on_hotel=advance)
            progress.update(bar, description="Warmed")
        return report
