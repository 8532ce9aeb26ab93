"""The target stays within SCALING_MIN_INSTANCES and SCALING_MAX_INSTANCES."""
from hypothesis import given
from hypothesis import strategies as st

from hotelagent.scaling.inputs import Load
from hotelagent.scaling.policy import LastAction, ScalingPolicy, decide

from .conftest import QUIET, SPIKE

POLICY = ScalingPolicy(
    cpu_high=75, cpu_low=30, memory_high=80, memory_low=50, requests_per_instance_high=1000,
    requests_per_instance_low=300, queue_depth_high=100, queue_depth_low=10, p95_latency_high_ms=1000,
    p95_latency_low_ms=250, error_rate_low=0.01, min_instances=2, max_instances=6, step=3,
    cooldown_seconds=300,
)


def test_high_load_at_max_instances_holds(evaluate, settings):
    settings.SCALING_MAX_INSTANCES = settings.SCALING_CURRENT_INSTANCES = 3

    decision = evaluate(**SPIKE)

    assert (decision.action, decision.target_instances) == ("hold", 3)
    assert decision.reasons[-1] == "already at max_instances 3"


def test_low_load_at_min_instances_holds(evaluate, settings):
    settings.SCALING_MIN_INSTANCES = settings.SCALING_CURRENT_INSTANCES = 2

    decision = evaluate(**QUIET)

    assert (decision.action, decision.target_instances) == ("hold", 2)


def test_a_step_never_passes_max_instances(evaluate, settings):
    settings.SCALING_MAX_INSTANCES, settings.SCALING_CURRENT_INSTANCES, settings.SCALING_STEP = 4, 3, 5

    assert evaluate(**SPIKE).target_instances == 4


def test_a_step_never_passes_min_instances(evaluate, settings):
    settings.SCALING_MIN_INSTANCES, settings.SCALING_CURRENT_INSTANCES, settings.SCALING_STEP = 2, 3, 5

    assert evaluate(**QUIET).target_instances == 2


def test_more_instances_than_max_come_down_to_it_even_in_the_cooldown(evaluate, clock, settings):
    evaluate(**SPIKE)
    clock.advance(30)
    settings.SCALING_CURRENT_INSTANCES = 12

    decision = evaluate(**SPIKE)

    assert (decision.action, decision.target_instances) == ("scale_down", 10)
    assert decision.reasons == ["above max_instances 10"]


def test_without_a_count_the_first_evaluation_assumes_min_instances(evaluate, settings):
    settings.SCALING_MIN_INSTANCES = 3

    assert evaluate(**QUIET).current_instances == 3


def test_the_instances_running_are_the_last_target_unless_a_setting_says(evaluate, clock, settings):
    evaluate(**SPIKE)
    clock.advance(600)
    assert evaluate(**SPIKE).current_instances == 2

    settings.SCALING_CURRENT_INSTANCES = 5
    assert evaluate(**QUIET).current_instances == 5


percent = st.one_of(st.none(), st.floats(0, 100))
loads = st.builds(Load, cpu_percent=percent, memory_percent=percent,
                  request_rate=st.one_of(st.none(), st.integers(0, 100_000)),
                  error_rate=st.one_of(st.none(), st.floats(0, 1)),
                  p95_latency_ms=st.one_of(st.none(), st.floats(0, 60_000)),
                  queue_depth=st.one_of(st.none(), st.integers(0, 10_000)))


@given(load=loads, current=st.integers(1, 20), since_last=st.one_of(st.none(), st.floats(0, 3600)))
def test_every_target_is_within_the_bounds(load, current, since_last):
    last = None if since_last is None else LastAction("scale_up", 10_000.0 - since_last)

    decision = decide(load, POLICY, current_instances=current, last_action=last, now=10_000.0)

    assert POLICY.min_instances <= decision.target_instances <= POLICY.max_instances
    assert (decision.action == "hold") == (decision.target_instances == current)
