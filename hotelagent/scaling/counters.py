"""Per-minute counters every web process adds to, in the Django cache (Redis in
production, so they are summed over processes and hosts).

A minute's requests are counted once, in the latency bucket they fall in: the
buckets' sum is the request count and their shape gives the p95, so a request
costs one `cache.incr` (two when it is answered 5xx). Memory is bounded: a
minute has ten bucket keys, an error key and three host-sample keys, each
living KEEP_SECONDS. The host samples (CPU and memory of the machine a web
process runs on, sums and a count, so the evaluation can average them) are
written at most once a minute per process.

`cache.incr` keeps a key's TTL on Redis (django-redis checks the key exists and
INCRBYs it in one Lua call) and fails on a missing key, which is when the
minute's first writer `cache.add`s it with its TTL; two processes racing there
both end up counted.
"""
import bisect
from dataclasses import dataclass

from django.core.cache import cache

MINUTE_SECONDS = 60
KEEP_SECONDS = 10 * 60  # the evaluation reads the last complete minute; a few spare for a late beat
# Upper bounds of the latency buckets, in milliseconds; the last bucket has none.
LATENCY_BOUNDS_MS = (25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
HOST_SCALE = 10  # percentages are summed in tenths: incr takes integers


def minute_of(at: float) -> int:
    return int(at // MINUTE_SECONDS)


def _key(minute: int, name: str) -> str:
    return f"scaling:{minute}:{name}"


def _latency_key(minute: int, bucket: int) -> str:
    return _key(minute, f"latency:{bucket}")


def add(key: str, amount: int = 1) -> None:
    try:
        cache.incr(key, amount)
    except ValueError:  # the minute's first count, or the key just expired
        if not cache.add(key, amount, timeout=KEEP_SECONDS):
            cache.incr(key, amount)


def request_keys(*, duration_seconds: float, status: int, at: float) -> tuple[str, ...]:
    """The counters one request adds 1 to: its latency bucket, and errors for a 5xx."""
    minute = minute_of(at)
    bucket = bisect.bisect_left(LATENCY_BOUNDS_MS, duration_seconds * 1000)
    if status >= 500:
        return _latency_key(minute, bucket), _key(minute, "errors")
    return (_latency_key(minute, bucket),)


def record_request(*, duration_seconds: float, status: int, at: float) -> None:
    for key in request_keys(duration_seconds=duration_seconds, status=status, at=at):
        add(key)


def add_many(amounts: dict[str, int]) -> None:
    """Counts a process gathered before writing them (the middleware's batch)."""
    for key, amount in amounts.items():
        add(key, amount)


def record_host(*, cpu_percent: float, memory_percent: float, at: float) -> None:
    minute = minute_of(at)
    add(_key(minute, "host:cpu"), round(cpu_percent * HOST_SCALE))
    add(_key(minute, "host:memory"), round(memory_percent * HOST_SCALE))
    add(_key(minute, "host:samples"))


@dataclass(frozen=True)
class MinuteCounts:
    latency_buckets: tuple[int, ...]
    errors: int
    host_samples: int
    host_cpu_sum: int
    host_memory_sum: int

    @property
    def requests(self) -> int:
        return sum(self.latency_buckets)

    @property
    def error_rate(self) -> float | None:
        return self.errors / self.requests if self.requests else None

    @property
    def cpu_percent(self) -> float | None:
        return self.host_cpu_sum / HOST_SCALE / self.host_samples if self.host_samples else None

    @property
    def memory_percent(self) -> float | None:
        return self.host_memory_sum / HOST_SCALE / self.host_samples if self.host_samples else None

    def latency_quantile_ms(self, quantile: float) -> float | None:
        """Interpolated within the bucket, as Prometheus' histogram_quantile does;
        a quantile in the open last bucket is its lower bound."""
        total = self.requests
        if not total:
            return None
        rank = quantile * total
        below = 0
        for bucket, count in enumerate(self.latency_buckets):
            if count and below + count >= rank:
                if bucket == len(LATENCY_BOUNDS_MS):
                    return float(LATENCY_BOUNDS_MS[-1])
                lower = LATENCY_BOUNDS_MS[bucket - 1] if bucket else 0
                upper = LATENCY_BOUNDS_MS[bucket]
                return lower + (upper - lower) * (rank - below) / count
            below += count
        return float(LATENCY_BOUNDS_MS[-1])


def read_minute(minute: int) -> MinuteCounts:
    """Everything counted in one minute, in one cache round trip."""
    buckets = [_latency_key(minute, bucket) for bucket in range(len(LATENCY_BOUNDS_MS) + 1)]
    others = {name: _key(minute, name) for name in ("errors", "host:samples", "host:cpu", "host:memory")}
    values = cache.get_many([*buckets, *others.values()])
    return MinuteCounts(
        latency_buckets=tuple(int(values.get(key) or 0) for key in buckets),
        errors=int(values.get(others["errors"]) or 0),
        host_samples=int(values.get(others["host:samples"]) or 0),
        host_cpu_sum=int(values.get(others["host:cpu"]) or 0),
        host_memory_sum=int(values.get(others["host:memory"]) or 0),
    )
