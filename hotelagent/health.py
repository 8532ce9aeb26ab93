"""Liveness and readiness for load balancers and orchestrators.

/health/live touches nothing (the process answers); /health/ready checks the
database and the cache, and reports hotels whose external PMS circuit is not
closed, the Graph API's circuit when it is not, WhatsApp numbers whose access
token is missing or rejected, and a stale beat or a Celery
queue backlog (hotelagent.celery_health), as "degraded": 200, because an outage
elsewhere is no reason to take this pod out of service (guests get the last
known copy meanwhile; replies wait and go when Meta is back; another pod would
not drain the queue either).
Both are also the "bare Django view" the webhook
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


def _pms_circuits() -> dict[str, dict[str, str]]:
    """{hotel slug: {endpoint: state}} for hotels on an external PMS whose circuit is not closed."""
    from reservations.pms.breaker import State, circuit_states
    from tenants.models import Tenant

    degraded = {}
    for tenant in Tenant.objects.filter(is_active=True).exclude(pms_backend="database"):
        states = circuit_states(tenant)
        if any(state != State.CLOSED for state in states.values()):
            degraded[tenant.slug] = {endpoint: state.label for endpoint, state in states.items()}
    return degraded


def _graph_api_circuit() -> dict[str, str]:
    """{"graph_api": state} while Meta's circuit is not closed: replies wait, nothing is lost."""
    from security.circuit import State
    from webhooks.graph_circuit import graph_api_circuit

    state = graph_api_circuit().state
    return {} if state == State.CLOSED else {"graph_api": state.label}


def _whatsapp() -> dict:
    """The circuit, and {"credentials": {phone_number_id: {"hotel": slug, "token": "missing" or
    "rejected"}}} for numbers whose replies fail until a manager saves a new token."""
    from webhooks.whatsapp_credentials import flagged_accounts

    found = _graph_api_circuit()
    flagged = {account.external_id: {"hotel": account.tenant.slug, "token": problem}
               for account, problem in flagged_accounts()}
    return {**found, "credentials": flagged} if flagged else found


def _celery() -> dict:
    """{"beat": "stale", "beat_last_sent_at": …, "queue_backlog": tasks}, the keys that apply."""
    from . import celery_health

    return celery_health.degraded()


def _degraded() -> dict:
    degraded = {}
    for name, probe in (("pms", _pms_circuits), ("whatsapp", _whatsapp), ("celery", _celery)):
        try:
            found = probe()
        except Exception:  # informational only: never fail readiness over it
            logger.exception("readiness: could not read the %s state", name)
            continue
        if found:
            degraded[name] = found
    return degraded


def ready(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check("database", _database), "cache": _check("cache", _cache)}
    healthy = all(checks.values())
    if not healthy:
        return JsonResponse({"status": "unavailable", "checks": checks}, status=503)
    degraded = _degraded()
    body = {"status": "degraded" if degraded else "ok", "checks": checks}
    if degraded:
        body["degraded"] = degraded
    return JsonResponse(body)
