"""Who may read /metrics.

The page carries each hotel's reservation counts and revenue, so it is not
public. With METRICS_TOKEN set, a caller sends `Authorization: Bearer <token>`
(loopback included: a proxy on the same host is loopback too); addresses or
networks in METRICS_ALLOWED_IPS are let in without it (a Prometheus inside the
cluster); with neither configured, only loopback is answered. Refusals are 401
with a token to ask for and 403 without one; a wrong token is an AUTH_FAILURE
audited once per burst per address, since a scraper retries every few seconds.
"""
import hmac
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from . import audit
from .throttle import first_of_burst

LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


def _address_in(ip: str | None, networks) -> bool:
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in networks if network.version == address.version)


def _bearer(request: HttpRequest) -> str:
    keyword, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if keyword.lower() == "bearer" else ""


def metrics_refusal(request: HttpRequest) -> HttpResponse | None:
    """None when the caller may read the metrics, else the response to give."""
    ip = audit.client_ip(request)
    if _address_in(ip, settings.METRICS_ALLOWED_IPS):
        return None
    token = settings.METRICS_TOKEN
    if not token:
        if not settings.METRICS_ALLOWED_IPS and _address_in(ip, LOOPBACK):
            return None
        return JsonResponse({"error": "forbidden"}, status=403)
    offered = _bearer(request)
    if offered and hmac.compare_digest(offered.encode(), token.encode()):
        return None
    if offered and first_of_burst(f"metrics-token:{ip}"):
        audit.record(audit.Type.AUTH_FAILURE, action="metrics_token_invalid", actor="anonymous",
                     ip_address=ip, resource="metrics", details={"reason": "invalid_token"})
    response = JsonResponse({"error": "unauthorized"}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response


def protected(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def guarded(request: HttpRequest) -> HttpResponse:
        return metrics_refusal(request) or view(request)

    guarded.__doc__ = view.__doc__
    return guarded
