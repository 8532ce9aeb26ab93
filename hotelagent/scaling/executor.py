"""What carries a decision out. SCALING_EXECUTOR names the class (a dotted path);
the default only logs, because the external autoscaler reading
`hotelagent_desired_instances` is what changes the number of instances
(deploy/autoscaling/). A Kubernetes or Docker executor subclasses
ScalingExecutor and is given every decision, holds included, after it is stored."""
import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ScalingExecutor:
    def apply(self, decision) -> None:
        """`decision` is the stored hotelagent.models.ScalingDecision."""
        raise NotImplementedError


class LoggingExecutor(ScalingExecutor):
    def apply(self, decision) -> None:
        log = logger.info if decision.is_action() else logger.debug
        log("autoscaling: %s %d → %d (%s)", decision.action, decision.current_instances,
            decision.target_instances, "; ".join(decision.reasons))


def configured_executor() -> ScalingExecutor:
    return import_string(settings.SCALING_EXECUTOR)()
