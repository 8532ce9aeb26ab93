"""One autoscaling evaluation: measure, decide, store, publish, carry out.

The task and the command both call `evaluate_scaling`. The load is measured
first (the CPU sample takes half a second); reading the instances and the last
action, deciding and storing the decision then happen under one advisory lock
(security.locking), so two evaluations at once (a redelivered task, an operator's
command) cannot both act inside one cooldown: the second sees the first's row.
"""
import datetime
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from hotelagent.models import ScalingDecision
from security.locking import locked

from . import metrics
from .executor import configured_executor
from .inputs import Load, collect_load, running_instances
from .policy import LastAction, ScalingPolicy, decide

logger = logging.getLogger(__name__)

LOCK_NAME = "scaling-evaluation"


def evaluate_scaling(*, overrides: dict | None = None, clock: Callable[[], float] = time.time,
                     source: str = ScalingDecision.Source.SCHEDULE, dry_run: bool = False) -> ScalingDecision:
    """The decision for the load now (`overrides` replacing measured inputs), stored
    and acted on; with `dry_run` only returned, unsaved, and nothing acts on it."""
    now = clock()
    policy = ScalingPolicy.from_settings()
    load = collect_load(now=now, overrides=overrides)
    with locked(LOCK_NAME):
        decision = decide(load, policy, current_instances=running_instances(default=policy.min_instances),
                          last_action=last_action(), now=now)
        row = _row(decision, load, now=now, source=source)
        if dry_run:
            return row
        row.save()
    metrics.publish(row.target_instances)
    _carry_out(row)
    return row


def last_action() -> LastAction | None:
    row = (ScalingDecision.objects.exclude(action=ScalingDecision.Action.HOLD)
           .only("action", "evaluated_at").first())
    return LastAction(row.action, row.evaluated_at.timestamp()) if row else None


def purge_old_decisions(*, now: datetime.datetime | None = None) -> int:
    """Decisions older than SCALING_DECISION_RETENTION_DAYS go (one a minute is
    half a million rows a year); the newest is always kept."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.SCALING_DECISION_RETENTION_DAYS)
    newest = ScalingDecision.objects.values_list("pk", flat=True).first()
    deleted, _ = ScalingDecision.objects.filter(evaluated_at__lt=cutoff).exclude(pk=newest).delete()
    return deleted


def _row(decision, load: Load, *, now: float, source: str) -> ScalingDecision:
    return ScalingDecision(
        evaluated_at=datetime.datetime.fromtimestamp(now, tz=datetime.UTC),
        action=decision.action,
        current_instances=decision.current_instances,
        target_instances=decision.target_instances,
        reasons=decision.reasons,
        source=source,
        overridden=list(load.overridden),
        **load.as_dict(),
    )


def _carry_out(row: ScalingDecision) -> None:
    try:
        configured_executor().apply(row)
    except Exception:  # the decision is stored and published; the next one tries again
        logger.exception("autoscaling: the executor failed to carry out decision %s", row.pk)
