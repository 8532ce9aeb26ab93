"""Is the background work keeping up? Beat, the Celery queues, and the rotations beat runs.

/health/ready reports these as "degraded" (never as a reason to fail the pod:
the web answers guests without them), and /metrics serves the same facts as
gauges computed at scrape time, so an alert and the readiness answer agree.

**Beat.** django-celery-beat's DatabaseScheduler writes `PeriodicTask.last_run_at`
each time it sends a task, so the enabled interval task with the shortest
period is beat's heartbeat. It writes those rows every `sync_every` seconds (3
min), not at each send, so a heartbeat is stale when it is older than
HEALTH_BEAT_STALE_PERIODS of its periods plus that delay (1 min tasks: 6 min).
A heartbeat task not sent since it was created, enabled or edited (disabling a
task clears its `last_run_at`) counts from then (`date_changed`). Until beat has
sent some task on this database, nothing is said about it: a fresh install, a
development or a test database cannot tell "not started yet" from "never will"
(after a first deploy, the Operations dashboard's beat panel must show data:
deploy/RUNBOOK.md, BeatStale). Crontab, solar and clocked tasks are not
heartbeats. Eagerly (no REDIS_URL) no beat runs and none is expected.

**Queues.** Tasks waiting in SCALING_QUEUES (the autoscaling evaluation's reader,
0 eagerly); above HEALTH_QUEUE_BACKLOG_THRESHOLD it is a backlog.

**Secrets.** `hotelagent_secret_rotation_overdue_seconds{type}`: how long past its
rotation period the most overdue secret of that name of an active hotel is, 0
when none is. The hourly rotation keeps it near 0; a value growing means the
task is not running or not rotating. A webhook or JWT secret that has no
version yet is not in use (the first one is made on first use) and not counted;
an API key in service with no rotation yet counts from its creation.
"""
import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django_celery_beat.schedulers import DatabaseScheduler
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from hotelagent.scaling.inputs import queue_depth
from security.metrics import ScrapeTimeCollector, cached_for_scrapes

logger = logging.getLogger(__name__)

BEAT_WRITE_DELAY_SECONDS = DatabaseScheduler.sync_every  # how late last_run_at may be written
SECRETS_CACHE_KEY = "metrics:secret-rotation-overdue"


@dataclass(frozen=True)
class Heartbeat:
    task: str
    period_seconds: float
    last_sent_at: datetime.datetime | None  # None: not sent since it was created, enabled or edited
    age_seconds: float

    @property
    def stale(self) -> bool:
        allowed = settings.HEALTH_BEAT_STALE_PERIODS * self.period_seconds + BEAT_WRITE_DELAY_SECONDS
        return self.age_seconds > allowed


def beat_expected() -> bool:
    return not settings.CELERY_BROKER_URL.startswith("memory://")


def beat_heartbeat(*, now: datetime.datetime | None = None) -> Heartbeat | None:
    """Beat's heartbeat, in one query; None when no beat is expected, it has never
    sent anything here, or no interval task is enabled."""
    from django_celery_beat.models import PeriodicTask

    if not beat_expected():
        return None
    tasks = list(
        PeriodicTask.objects.filter(enabled=True, one_off=False, interval__isnull=False)
        .select_related("interval").only("name", "last_run_at", "date_changed", "interval")
    )
    if not any(task.last_run_at for task in tasks):
        return None

    def period(task) -> float:
        return datetime.timedelta(**{task.interval.period: task.interval.every}).total_seconds()

    heartbeat = min(tasks, key=period)
    since = heartbeat.last_run_at or heartbeat.date_changed
    now = now or timezone.now()
    return Heartbeat(task=heartbeat.name, period_seconds=period(heartbeat),
                     last_sent_at=heartbeat.last_run_at, age_seconds=max(0.0, (now - since).total_seconds()))


def degraded() -> dict:
    """{"beat": "stale", "beat_last_sent_at": ISO time or None, "queue_backlog": tasks},
    each key only when it applies; {} when the background work keeps up."""
    found = {}
    heartbeat = beat_heartbeat()
    if heartbeat is not None and heartbeat.stale:
        found["beat"] = "stale"
        found["beat_last_sent_at"] = heartbeat.last_sent_at.isoformat() if heartbeat.last_sent_at else None
    depth = queue_depth()
    if depth is not None and depth > settings.HEALTH_QUEUE_BACKLOG_THRESHOLD:
        found["queue_backlog"] = depth
    return found


def secrets_overdue(*, now: datetime.datetime | None = None) -> list[tuple[list[str], float]]:
    """(secret type, seconds overdue of its most overdue active hotel) for every
    rotated secret, in two queries."""
    from django.db.models import Max, Min

    from security.models import ApiKey, ManagedSecret
    from security.secret_store import API_KEY, POLICIES

    now = now or timezone.now()
    overdue = dict.fromkeys(POLICIES, 0.0)

    def count(name: str, since: datetime.datetime) -> None:
        overdue[name] = max(overdue[name], (now - (since + POLICIES[name].period)).total_seconds())

    rotated_keys = set()
    versions = (
        ManagedSecret.objects.with_scopes_disabled()
        .filter(name__in=POLICIES, tenant__is_active=True, activated_at__isnull=False)
        .values("tenant", "name").annotate(newest=Max("activated_at")).order_by()
    )
    for row in versions:
        count(row["name"], row["newest"])
        if row["name"] == API_KEY:
            rotated_keys.add(row["tenant"])
    keys = (
        ApiKey.objects.with_scopes_disabled()
        .filter(tenant__is_active=True, revoked_at__isnull=True, expires_at__isnull=True)
        .values("tenant").annotate(oldest=Min("created_at")).order_by()
    )
    for row in keys:
        if row["tenant"] not in rotated_keys:
            count(API_KEY, row["oldest"])
    return [([name], seconds) for name, seconds in sorted(overdue.items())]


class QueueDepthCollector(ScrapeTimeCollector):
    name = "hotelagent_celery_queue_depth"
    documentation = "Tasks waiting in the Celery queues (SCALING_QUEUES); absent when the broker is down"

    def samples(self):
        depth = queue_depth()
        return [] if depth is None else [([], depth)]


class QueueBacklogThresholdCollector(ScrapeTimeCollector):
    name = "hotelagent_celery_queue_backlog_threshold"
    documentation = "HEALTH_QUEUE_BACKLOG_THRESHOLD: above it /health/ready reports a queue backlog"

    def samples(self):
        return [([], settings.HEALTH_QUEUE_BACKLOG_THRESHOLD)]


class BeatCollector(Collector):
    """The heartbeat's age and whether it is stale, from one query; both absent
    until beat has run (and eagerly)."""

    AGE = ("hotelagent_beat_heartbeat_age_seconds",
           "Seconds since beat last sent its shortest-period task, as written to the database")
    STALE = ("hotelagent_beat_stale", "1 when /health/ready reports beat stale, else 0")

    def describe(self):
        return [GaugeMetricFamily(*self.AGE), GaugeMetricFamily(*self.STALE)]

    def collect(self):
        age, stale = GaugeMetricFamily(*self.AGE), GaugeMetricFamily(*self.STALE)
        try:
            heartbeat = beat_heartbeat()
        except Exception:  # one broken source never fails the whole scrape
            logger.warning("metrics: beat heartbeat could not be read", exc_info=True)
            heartbeat = None
        if heartbeat is not None:
            age.add_metric([], heartbeat.age_seconds)
            stale.add_metric([], int(heartbeat.stale))
        yield age
        yield stale


class SecretRotationOverdueCollector(ScrapeTimeCollector):
    name = "hotelagent_secret_rotation_overdue_seconds"
    documentation = "Seconds the most overdue active hotel's secret of this name is past its rotation period"
    labels = ("type",)  # api_key, webhook_secret, jwt_secret

    def samples(self):
        return cached_for_scrapes(SECRETS_CACHE_KEY, secrets_overdue)


for _collector in (QueueDepthCollector(), QueueBacklogThresholdCollector(), BeatCollector(),
                   SecretRotationOverdueCollector()):
    REGISTRY.register(_collector)
