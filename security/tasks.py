import logging

from celery import shared_task

from . import chain, metrics
from .rotation import rotate_due_secrets  # noqa: F401 - found by Celery's autodiscovery

logger = logging.getLogger(__name__)


@shared_task
def verify_audit_chains() -> int:
    """Hourly: recompute every audit chain (the same check as `manage.py
    verify_audit_chain`). A broken chain is logged CRITICAL and shows as
    hotelagent_audit_chain_broken{chain}=1 until it verifies again. Returns the
    number of broken chains."""
    broken = 0
    for report in chain.verify_chains():
        metrics.audit_chain_broken.labels(chain=report.chain).set(0 if report.ok else 1)
        if not report.ok:
            broken += 1
            logger.critical("audit chain %s is broken: %s", report.chain, report.broken)
    return broken
