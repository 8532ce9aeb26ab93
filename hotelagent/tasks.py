import logging

from celery import shared_task

from security.locking import Busy

from .scaling import evaluation

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def evaluate_scaling() -> str:
    """Every minute (beat): decide whether the instances should change, store the
    decision, publish hotelagent_desired_instances and hand it to the executor.
    Safe to run twice (a redelivery under acks_late): the second run sees the
    first's decision and its cooldown. Returns the action."""
    try:
        decision = evaluation.evaluate_scaling()
    except Busy:
        logger.info("autoscaling: another evaluation is running, this one is skipped")
        return "skipped"
    evaluation.purge_old_decisions()
    return decision.action
