"""What the autoscaling evaluation looks at, gathered once a minute.

- Request rate, error rate and p95 latency: the last complete minute of the
  counters every web process writes (`counters`, `middleware`), so summed over
  processes and hosts.
- CPU and memory: the average of the host samples the web processes wrote in
  that minute; with none (no traffic, or a single process such as
  `manage.py evaluate_scaling` on a laptop) the host this code runs on.
- Queue depth: `LLEN` of each queue in SCALING_QUEUES on the Celery broker, with
  the extra lists kombu keeps per priority; 0 when tasks run eagerly (memory://).
- Instances running: SCALING_CURRENT_INSTANCES when set; otherwise the target of
  the last decision (the external autoscaler reads it from the gauge and makes it
  so), or SCALING_MIN_INSTANCES before the first one.

An input that cannot be read (the cache or the broker is down) is None: it
never causes a scale-up and it blocks a scale-down.
"""
import logging
from dataclasses import asdict, dataclass, replace

import redis
from django.conf import settings

from hotelagent.models import ScalingDecision

from . import counters, host

logger = logging.getLogger(__name__)

INPUT_NAMES = ("cpu_percent", "memory_percent", "request_rate", "error_rate", "p95_latency_ms", "queue_depth")
CPU_SAMPLE_SECONDS = 0.5  # how long the local CPU is measured when no web process sampled it
BROKER_TIMEOUT_SECONDS = 2
# kombu's Redis transport keeps a queue's tasks sent with a priority in lists of their own.
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (3, 6, 9)


@dataclass(frozen=True)
class Load:
    cpu_percent: float | None
    memory_percent: float | None
    request_rate: int | None  # requests in a minute, every instance together
    error_rate: float | None  # fraction of those answered 5xx
    p95_latency_ms: float | None  # None when there was no request to measure
    queue_depth: int | None  # tasks waiting in the Celery queues
    overridden: tuple[str, ...] = ()  # inputs an operator set by hand (`evaluate_scaling --cpu …`)

    def as_dict(self) -> dict:
        return {name: value for name, value in asdict(self).items() if name != "overridden"}


def collect_load(*, now: float, overrides: dict | None = None,
                 cpu_sample_seconds: float = CPU_SAMPLE_SECONDS) -> Load:
    """The load in the minute before `now`; `overrides` ({input name: value}, None
    meaning "measure it") replace what was measured."""
    overrides = {name: value for name, value in (overrides or {}).items() if value is not None}
    if unknown := set(overrides) - set(INPUT_NAMES):
        raise ValueError(f"unknown scaling inputs: {', '.join(sorted(unknown))}")
    minute = _last_complete_minute(now)
    cpu = minute.cpu_percent if minute else None
    memory = minute.memory_percent if minute else None
    if cpu is None and "cpu_percent" not in overrides:
        cpu = host.cpu_over(cpu_sample_seconds)
    if memory is None and "memory_percent" not in overrides:
        memory = host.memory_percent()
    load = Load(
        cpu_percent=cpu,
        memory_percent=memory,
        request_rate=minute.requests if minute else None,
        error_rate=(minute.error_rate or 0.0) if minute else None,
        p95_latency_ms=minute.latency_quantile_ms(0.95) if minute else None,
        queue_depth=None if "queue_depth" in overrides else queue_depth(),
    )
    return replace(load, **overrides, overridden=tuple(sorted(overrides)))


def _last_complete_minute(now: float) -> counters.MinuteCounts | None:
    try:
        return counters.read_minute(counters.minute_of(now) - 1)
    except Exception:  # the cache is down: these inputs are unknown this time
        logger.warning("autoscaling: request counters unreadable, the cache failed", exc_info=True)
        return None


def queue_depth() -> int | None:
    url = settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return 0  # no REDIS_URL: tasks run eagerly, nothing ever waits
    if not url.startswith(("redis://", "rediss://")):
        logger.warning("autoscaling: queue depth is only read from a Redis broker")
        return None
    client = redis.Redis.from_url(url, socket_timeout=BROKER_TIMEOUT_SECONDS,
                                  socket_connect_timeout=BROKER_TIMEOUT_SECONDS)
    try:
        with client.pipeline(transaction=False) as pipe:
            for queue in settings.SCALING_QUEUES:
                pipe.llen(queue)
                for step in PRIORITY_STEPS:
                    pipe.llen(f"{queue}{PRIORITY_SEPARATOR}{step}")
            return sum(pipe.execute())
    except redis.RedisError:
        logger.warning("autoscaling: queue depth unreadable, the broker failed", exc_info=True)
        return None
    finally:
        client.close()


def running_instances(*, default: int) -> int:
    if settings.SCALING_CURRENT_INSTANCES:
        return settings.SCALING_CURRENT_INSTANCES
    last = ScalingDecision.objects.only("target_instances").first()
    return last.target_instances if last else default
