"""The page a guest link opens: the reservation, in the hotel's language, and a
button that cancels it through the same service as every other channel.

Cancelling takes two steps that need no JavaScript: the page's button posts
`step=confirm`, which only shows what would be cancelled and the form whose
POST (without a step) cancels. Dates, times and money read as the chat writes them (Babel, with the
agent's locales: es_ES, en_US)."""
import logging
from urllib.parse import urlencode

from babel.dates import format_date, format_time
from babel.numbers import format_currency
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from security.audit import client_ip
from security.locking import Busy
from security.log_context import bind_tenant

from ..errors import ReservationError
from ..models import Reservation
from ..services import reservation_cancel
from .links import reservation_for_token

logger = logging.getLogger(__name__)

LOCALES = {"es": "es_ES", "en": "en_US"}  # as webhooks.agent.replies, which this layer cannot import
MAP_SEARCH = "https://www.openstreetmap.org/search?"


def _locale(language: str) -> str:
    return LOCALES.get(language, LOCALES["es"])


def map_link(address: str) -> str:
    """An OpenStreetMap search for the hotel's address, on one line."""
    return MAP_SEARCH + urlencode({"query": " ".join(address.split())})


@never_cache
@require_http_methods(["GET", "POST"])
def reservation_page(request, token: str):
    reservation = reservation_for_token(token)
    if reservation is None:
        return render(request, "guest/link_not_found.html", status=404)
    tenant = reservation.tenant
    bind_tenant(tenant.slug)
    with translation.override(tenant.language):
        failed = False
        confirming = request.method == "POST" and request.POST.get("step") == "confirm"
        if request.method == "POST" and not confirming and reservation.status == Reservation.Status.CONFIRMED:
            try:
                reservation_cancel(tenant=tenant, code=reservation.code, source=Reservation.Source.GUEST_LINK,
                                   actor=f"guest_link:{reservation.code}", ip_address=client_ip(request))
            except (ReservationError, Busy):  # the page says "try again"; nothing changed
                logger.exception("guest link could not cancel %s", reservation.code)
                failed = True
            else:
                return redirect(request.path)  # a reload must not post again
        locale = _locale(tenant.language)
        cancellable = reservation.status == Reservation.Status.CONFIRMED
        response = render(request, "guest/reservation.html", {
            "hotel": tenant, "reservation": reservation, "failed": failed,
            "cancelled": reservation.status == Reservation.Status.CANCELLED,
            "cancellable": cancellable,
            "confirming": cancellable and confirming,
            "check_in": format_date(reservation.check_in, format="full", locale=locale),
            "check_out": format_date(reservation.check_out, format="full", locale=locale),
            "check_in_time": format_time(tenant.check_in_time, format="short", locale=locale),
            "check_out_time": format_time(tenant.check_out_time, format="short", locale=locale),
            "total": format_currency(reservation.total, reservation.currency, locale=locale),
            "map_link": map_link(tenant.address) if tenant.address.strip() else "",
        }, status=503 if failed else 200)
        response["Content-Language"] = tenant.language
    return response
