"""The seed's spike: CPU at 85 % and 1,200 requests a minute on one instance."""
from prometheus_client import REGISTRY

from hotelagent.models import ScalingDecision

from .conftest import SPIKE


def test_a_spike_scales_up(evaluate):
    decision = evaluate(**SPIKE)

    assert decision.action == "scale_up"
    assert decision.target_instances > decision.current_instances


def test_the_decision_is_stored_with_what_it_saw_and_why(evaluate):
    evaluate(**SPIKE)

    stored = ScalingDecision.objects.get()
    assert (stored.action, stored.current_instances, stored.target_instances) == ("scale_up", 1, 2)
    assert (stored.cpu_percent, stored.memory_percent, stored.request_rate) == (85.0, 80.0, 1200)
    assert stored.reasons == ["cpu 85% > 75%", "requests per instance 1200/min > 1000/min"]


def test_the_gauge_asks_the_autoscaler_for_the_target(evaluate):
    evaluate(**SPIKE)

    assert REGISTRY.get_sample_value("hotelagent_desired_instances") == 2


def test_a_queue_that_backs_up_scales_up(evaluate):
    assert evaluate(queue_depth=500).reasons == ["queue depth 500 > 100"]


def test_slow_answers_scale_up(evaluate):
    assert evaluate(p95_latency_ms=2400.0).reasons == ["p95 latency 2400 ms > 1000 ms"]


def test_the_request_rate_is_per_instance(evaluate, settings):
    settings.SCALING_CURRENT_INSTANCES = 2

    decision = evaluate(request_rate=1200)

    assert decision.action == "hold"
    assert decision.reasons == ["requests per instance 600/min ≥ 300/min"]
