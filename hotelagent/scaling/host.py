"""CPU and memory of the machine this process runs on (psutil).

Both are the host's (or, in a container, what its /proc shows), not this
process's: what decides whether another instance is needed."""
import psutil


def prime() -> None:
    """psutil measures CPU between two calls: the first only starts the clock."""
    psutil.cpu_percent(interval=None)


def cpu_since_last_call() -> float:
    return psutil.cpu_percent(interval=None)


def cpu_over(seconds: float) -> float:
    return psutil.cpu_percent(interval=seconds)


def memory_percent() -> float:
    return psutil.virtual_memory().percent
