"""Liveness and readiness for load balancers and orchestrators.

/health/live touches nothing (the process answers); /health/ready checks the
database and the cache. Both are also the "bare Django view" the webhook
benchmark compares against.
"""
import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse

logger = logging.getLogger(__name__)


def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check(name: str, probe) -> bool:
    try:
        probe()
    except Exception:  # any failure means "not ready", and is logged for operators
        logger.exception("readiness check %s failed", name)
        return False
    return True


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    cache.set("health:ready", "1", 5)
    if cache.get("health:ready") != "1":
        raise RuntimeError("cache did not return what was written")


def ready(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check("database", _database), "cache": _check("cache", _cache)}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503
    )
