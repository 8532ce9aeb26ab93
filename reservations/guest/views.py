"""The page a guest link opens: the reservation, in the hotel's language, and a
button that cancels it through the same service as every other channel."""
import logging

from babel.dates import format_date
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
        if request.method == "POST" and reservation.status == Reservation.Status.CONFIRMED:
            try:
                reservation_cancel(tenant=tenant, code=reservation.code, source=Reservation.Source.GUEST_LINK,
                                   actor=f"guest_link:{reservation.code}", ip_address=client_ip(request))
            except (ReservationError, Busy):  # the page says "try again"; nothing changed
                logger.exception("guest link could not cancel %s", reservation.code)
                failed = True
            else:
                return redirect(request.path)  # a reload must not post again
        response = render(request, "guest/reservation.html", {
            "hotel": tenant, "reservation": reservation, "failed": failed,
            "cancelled": reservation.status == Reservation.Status.CANCELLED,
            "check_in": format_date(reservation.check_in, format="full", locale=tenant.language),
            "check_out": format_date(reservation.check_out, format="full", locale=tenant.language),
            "total": format_currency(reservation.total, reservation.currency, locale=tenant.language),
        }, status=503 if failed else 200)
        response["Content-Language"] = tenant.language
    return response
