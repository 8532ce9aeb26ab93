"""The middleware counts every request, summed over processes in the cache, for
the minute it was answered in; the load the evaluation reads is the last
complete minute."""
import logging
import time

import pytest
from django.core.cache import cache

from hotelagent.scaling import batch as batch_module
from hotelagent.scaling import counters, middleware
from hotelagent.scaling.inputs import collect_load
from tests.clock import FakeClock

from .conftest import MEASURED

pytestmark = [pytest.mark.urls("tests.scaling.urls"), pytest.mark.django_db]


@pytest.fixture
def minute(clock, monkeypatch):
    """Requests are counted at the clock's time: the minute they fall in."""
    monkeypatch.setattr(middleware, "clock", clock)
    return counters.minute_of(clock())


def test_requests_are_counted_in_their_minute(client, minute):
    for _ in range(3):
        client.get("/test-answer/200/")

    assert counters.read_minute(minute).requests == 3


def test_answers_5xx_are_counted_as_errors(client, minute):
    for status in (200, 200, 404, 503):
        client.get(f"/test-answer/{status}/")

    counted = counters.read_minute(minute)
    assert (counted.requests, counted.errors, counted.error_rate) == (4, 1, 0.25)


def test_metrics_and_health_probes_are_not_counted(client, minute):
    client.get("/metrics")
    client.get("/health/live")

    assert counters.read_minute(minute).requests == 0


def test_the_evaluation_reads_the_last_complete_minute(client, clock, minute):
    for _ in range(4):
        client.get("/test-answer/200/")

    assert collect_load(now=clock()).request_rate == 0  # the minute is not over
    assert collect_load(now=clock() + 60).request_rate == 4


def test_counts_from_every_process_add_up(minute, clock):
    for _process in range(3):  # what three web processes write into one Redis
        counters.record_request(duration_seconds=0.01, status=200, at=clock())

    assert collect_load(now=clock() + 60).request_rate == 3


def test_the_p95_comes_from_the_latency_buckets(minute, clock):
    for _ in range(90):
        counters.record_request(duration_seconds=0.02, status=200, at=clock())  # under 25 ms
    for _ in range(10):
        counters.record_request(duration_seconds=0.7, status=200, at=clock())  # 500 ms to 1 s

    assert collect_load(now=clock() + 60).p95_latency_ms == pytest.approx(750.0)


def test_host_samples_of_the_web_processes_are_averaged(minute, clock):
    counters.record_host(cpu_percent=90.0, memory_percent=70.0, at=clock())
    counters.record_host(cpu_percent=60.0, memory_percent=50.0, at=clock())

    load = collect_load(now=clock() + 60)
    assert (load.cpu_percent, load.memory_percent) == (75.0, 60.0)


def test_counters_expire(minute, clock):
    if not hasattr(cache, "ttl"):
        pytest.skip("only django-redis tells a key's time to live")
    counters.record_request(duration_seconds=0.01, status=200, at=clock())
    counters.record_request(duration_seconds=0.01, status=200, at=clock())

    assert 0 < cache.ttl(f"scaling:{minute}:latency:0") <= counters.KEEP_SECONDS


def down(*args, **kwargs):
    raise ConnectionError("cache down")


def test_a_cache_that_is_down_fails_no_request_and_is_logged_once(client, minute, monkeypatch, caplog):
    monkeypatch.setattr(counters.cache, "incr", down)
    monkeypatch.setattr(counters.cache, "add", down)

    with caplog.at_level(logging.WARNING, logger="hotelagent.scaling.middleware"):
        answers = [client.get("/test-answer/200/").status_code for _ in range(3)]

    assert answers == [200, 200, 200]
    assert [record.getMessage() for record in caplog.records] == [
        "request counters for autoscaling not written: the cache failed"]


def test_unreadable_counters_block_a_scale_down(evaluate, monkeypatch, settings):
    settings.SCALING_CURRENT_INSTANCES = 3
    monkeypatch.setattr(counters.cache, "get_many", down)

    decision = evaluate(request_rate=None, p95_latency_ms=None, error_rate=None)

    assert decision.action == "hold"
    assert "requests per instance unknown" in decision.reasons


def test_the_log_says_when_the_cache_is_back(client, minute, monkeypatch, caplog):
    working = {name: getattr(counters.cache, name) for name in ("incr", "add")}
    for name in working:
        monkeypatch.setattr(counters.cache, name, down)
    client.get("/test-answer/200/")
    for name, method in working.items():
        monkeypatch.setattr(counters.cache, name, method)
    caplog.clear()

    with caplog.at_level(logging.INFO, logger="hotelagent.scaling.middleware"):
        client.get("/test-answer/200/")

    assert caplog.messages == ["request counters for autoscaling written again"]


def test_each_process_samples_its_host_once_a_minute(client, clock, minute):
    client.get("/test-answer/200/")  # the middleware starts; its first sample is due ten seconds on
    clock.advance(15)
    for _ in range(5):
        client.get("/test-answer/200/")
    clock.advance(60)
    client.get("/test-answer/200/")

    assert counters.read_minute(minute).host_samples == 1
    assert counters.read_minute(minute + 1).host_samples == 1
    assert counters.read_minute(minute).cpu_percent == 20.0  # as tests/scaling/conftest.py steadies it


def test_psutil_reads_this_host():
    assert 0 <= MEASURED["cpu_over"](0.05) <= 100
    assert 0 < MEASURED["memory_percent"]() <= 100


@pytest.fixture
def batched(settings, monkeypatch):
    """Production's batching: counts wait up to half a second, by a clock tests move."""
    settings.SCALING_COUNTS_WRITE_SECONDS = 0.5
    moment = FakeClock(1000.0)
    monkeypatch.setattr(batch_module, "monotonic", moment)
    return moment


@pytest.fixture
def cache_writes(monkeypatch):
    calls = []
    incr = counters.cache.incr
    monkeypatch.setattr(counters.cache, "incr",
                        lambda *args, **kwargs: calls.append(args) or incr(*args, **kwargs))
    return calls


def test_under_load_many_requests_share_one_write(client, minute, batched, cache_writes):
    client.get("/test-answer/200/")  # the first count of a batch starts its half second
    for _ in range(19):
        batched.advance(0.01)
        client.get("/test-answer/200/")

    assert counters.read_minute(minute).requests == 0  # still this process's own
    assert cache_writes == []

    batched.advance(0.5)
    client.get("/test-answer/200/")

    counted = counters.read_minute(minute)
    assert counted.requests == 21
    assert len(cache_writes) <= 1  # one latency bucket: one add or incr for all 21


def test_a_batch_keeps_each_request_in_its_own_minute_and_bucket(client, clock, minute, batched):
    client.get("/test-answer/200/")
    client.get("/test-answer/503/")
    clock.advance(60)
    client.get("/test-answer/200/")
    batched.advance(0.5)
    client.get("/test-answer/200/")

    first, second = counters.read_minute(minute), counters.read_minute(minute + 1)
    assert (first.requests, first.errors) == (2, 1)
    assert (second.requests, second.errors) == (2, 0)


def test_what_a_quiet_moment_leaves_is_written_by_the_timer(client, minute, settings):
    settings.SCALING_COUNTS_WRITE_SECONDS = 0.05
    client.get("/test-answer/200/")
    client.get("/test-answer/200/")

    deadline = time.monotonic() + 5
    while counters.read_minute(minute).requests < 2 and time.monotonic() < deadline:
        time.sleep(0.02)

    assert counters.read_minute(minute).requests == 2
