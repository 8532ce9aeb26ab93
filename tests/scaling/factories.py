import factory
from django.utils import timezone

from hotelagent.models import ScalingDecision


class ScalingDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScalingDecision

    evaluated_at = factory.LazyFunction(timezone.now)
    action = ScalingDecision.Action.HOLD
    current_instances = 2
    target_instances = factory.LazyAttribute(
        lambda row: row.current_instances + {"scale_up": 1, "scale_down": -1}.get(row.action, 0))
    reasons = factory.LazyAttribute(lambda row: ["cpu 85% > 75%"] if row.action == "scale_up" else [])
    cpu_percent = 50.0
    memory_percent = 60.0
    request_rate = 900
    error_rate = 0.0
    p95_latency_ms = 120.0
    queue_depth = 0
