"""No flapping: once an action is taken, none follows within SCALING_COOLDOWN_SECONDS."""
from hotelagent.models import ScalingDecision

from .conftest import QUIET, SPIKE


def alternating(minute: int) -> dict:
    return SPIKE if minute % 2 == 0 else QUIET


def test_alternating_high_and_low_load_inside_the_cooldown_holds(evaluate, clock):
    actions = []
    for minute in range(5):  # 0 s to 240 s: all inside the 300 s cooldown
        actions.append(evaluate(**alternating(minute)).action)
        clock.advance(60)

    assert actions == ["scale_up", "hold", "hold", "hold", "hold"]


def test_a_hold_in_the_cooldown_says_so(evaluate, clock):
    evaluate(**SPIKE)
    clock.advance(60)

    decision = evaluate(**QUIET)

    assert decision.reasons == ["every input below its low mark",
                                "cooldown: last scale_up 60 s ago, 300 s required"]
    assert (decision.current_instances, decision.target_instances) == (2, 2)


def test_whenever_an_action_is_taken_the_cooldown_has_passed(evaluate, clock, settings):
    last_action_at = None
    for minute in range(30):
        decision = evaluate(**alternating(minute))
        if decision.is_action():
            if last_action_at is not None:
                assert clock() - last_action_at >= settings.SCALING_COOLDOWN_SECONDS
            last_action_at = clock()
        clock.advance(60)

    taken = list(ScalingDecision.objects.exclude(action="hold").order_by("evaluated_at")
                 .values_list("action", flat=True))
    assert taken[:3] == ["scale_up", "scale_down", "scale_up"]  # it still acts once each cooldown is over


def test_the_opposite_action_is_taken_once_the_cooldown_is_over(evaluate, clock):
    evaluate(**SPIKE)
    clock.advance(300)

    assert evaluate(**QUIET).action == "scale_down"


def test_the_cooldown_setting_is_honoured(evaluate, clock, settings):
    settings.SCALING_COOLDOWN_SECONDS = 60
    evaluate(**SPIKE)
    clock.advance(60)

    assert evaluate(**SPIKE).action == "scale_up"
