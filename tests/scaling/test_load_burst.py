"""A burst of real requests through the middleware changes the decision."""
import time

import pytest

from hotelagent.scaling import middleware
from hotelagent.scaling.evaluation import evaluate_scaling

pytestmark = [pytest.mark.load, pytest.mark.django_db]

MACHINE_INDEPENDENT = {"cpu_percent": 20.0, "memory_percent": 40.0, "queue_depth": 0}


def test_a_burst_of_1200_requests_a_minute_turns_hold_into_scale_up(client, clock, monkeypatch):
    monkeypatch.setattr(middleware, "clock", clock)  # the whole burst lands in one minute
    before = evaluate_scaling(overrides=MACHINE_INDEPENDENT, clock=clock)

    started = time.perf_counter()
    answers = {client.get("/").status_code for _ in range(1200)}
    seconds = time.perf_counter() - started
    clock.advance(60)
    after = evaluate_scaling(overrides=MACHINE_INDEPENDENT, clock=clock)

    print(f"\nburst: 1200 requests in {seconds:.1f} s, p95 {after.p95_latency_ms:.1f} ms")
    assert answers == {302}
    assert (before.action, before.request_rate) == ("hold", 0)
    assert (after.action, after.request_rate, after.error_rate) == ("scale_up", 1200, 0.0)
    assert after.reasons == ["requests per instance 1200/min > 1000/min"]
    assert after.target_instances == before.target_instances + 1
