import io

from django.core.management import call_command
from prometheus_client import REGISTRY

from tests.factories import stay

AVAILABILITY = "/api/v1/availability/"


def counted(cache: str, result: str) -> int:
    value = REGISTRY.get_sample_value("hotelagent_cache_requests_total", {"cache": cache, "result": result})
    return int(value or 0)


class CacheReads:
    """hotelagent_cache_requests_total counted since this object was made."""

    def __init__(self):
        self.start = {(cache, result): counted(cache, result)
                      for cache in ("availability", "rates", "config") for result in ("hit", "miss")}

    def __call__(self, cache: str, result: str) -> int:
        return counted(cache, result) - self.start[(cache, result)]


def search(api, tenant, *, days_ahead: int = 10, nights: int = 1, guests: int = 1, **params) -> dict:
    check_in, check_out = stay(days_ahead, nights, tenant=tenant)
    response = api.get(AVAILABILITY, {"check_in": check_in, "check_out": check_out, "guests": guests,
                                      **params})
    assert response.status_code == 200, response.content
    return response.json()


def available(body: dict) -> dict[str, int]:
    return {offer["code"]: offer["available"] for offer in body["room_types"]}


def warm_cache(*args) -> str:
    out = io.StringIO()
    call_command("warm_cache", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()
