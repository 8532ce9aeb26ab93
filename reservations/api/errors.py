"""Maps domain errors to HTTP for the REST API.

Django ValidationError from the rules becomes 400 `{"field": ["message"]}`;
domain refusals become their documented status and `{"error": code}`; an unknown
reservation code (another hotel's included) is a plain 404. Busy and
PMSUnavailable also say when to retry, in `retry_after` and the Retry-After header.
"""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import Busy, GuestNotAllowed, LimitReached, PMSRejected, PMSUnavailable, Unavailable
from ..models import Reservation
from ..services import NotChangeable

DOMAIN_STATUS = {
    Unavailable: status.HTTP_409_CONFLICT,
    LimitReached: status.HTTP_409_CONFLICT,
    GuestNotAllowed: status.HTTP_403_FORBIDDEN,
    PMSRejected: status.HTTP_502_BAD_GATEWAY,
}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"non_field_errors": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PMSUnavailable):
        return pms_unavailable(exc)
    if isinstance(exc, Busy):
        return busy(exc)
    if isinstance(exc, NotChangeable):
        return Response({"error": exc.code, "detail": exc.message}, status=status.HTTP_409_CONFLICT)
    for error_class, http_status in DOMAIN_STATUS.items():
        if isinstance(exc, error_class):
            return Response({"error": exc.code}, status=http_status)
    if isinstance(exc, Reservation.DoesNotExist):
        exc = NotFound(_("No reservation with this code."))
    return drf_exception_handler(exc, context)


def pms_unavailable(exc: PMSUnavailable) -> Response:
    """503 with Retry-After: the hotel's PMS is down and nothing was booked; the
    same request (same Idempotency-Key) may be sent again after that many seconds."""
    return Response(
        {"error": exc.code, "retry_after": exc.retry_after},
        status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": str(exc.retry_after)},
    )


def busy(exc: Busy) -> Response:
    """409 with Retry-After: another request held a lock this one needed (the same
    guest booking twice at once, say) and nothing was changed; send it again."""
    return Response(
        {"error": exc.code, "retry_after": exc.retry_after},
        status=status.HTTP_409_CONFLICT, headers={"Retry-After": str(exc.retry_after)},
    )
