import logging

from celery import shared_task

from . import audit, chain, metrics
from .rotation import rotate_due_secrets  # noqa: F401 - found by Celery's autodiscovery

logger = logging.getLogger(__name__)


@shared_task
def verify_audit_chains() -> int:
    """Hourly: recompute every audit chain (the same check as `manage.py
    verify_audit_chain`). A broken chain is logged CRITICAL and shows as
    hotelagent_audit_chain_broken{chain}=1 until it verifies again: the result
    is stored as an `audit_chains_verified` event, which every process's
    /metrics reads (security.metrics). Returns the number of broken chains."""
    reports = chain.verify_chains()
    broken = {}
    for report in reports:
        if not report.ok:
            broken[report.chain] = f"event {report.broken.event_id}: {report.broken.problem}"
            logger.critical("audit chain %s is broken: %s", report.chain, report.broken)
    audit.record(audit.Type.CONFIGURATION, action=metrics.VERIFIED_ACTION, actor="system:audit-verification",
                 resource="audit", details=metrics.verification_result(chains=len(reports), broken=broken))
    metrics.forget_audit_chains()
    return len(broken)
