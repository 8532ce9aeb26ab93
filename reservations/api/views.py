from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from security.hostile import report_if_hostile

from ..models import Reservation
from ..pricing import MONTH_DISCOUNT, WEEK_DISCOUNT
from ..rules import MAX_AVAILABILITY_ADVANCE_DAYS, MAX_NIGHTS
from ..selectors import availability_for, reservation_get, reservations_for
from ..services import reservation_cancel, reservation_change, reservation_create
from . import idempotency, schema
from .base import TenantApiView
from .serializers import (
    AvailabilityQuerySerializer,
    AvailabilitySerializer,
    ReservationChangeSerializer,
    ReservationCreateSerializer,
    ReservationFilterSerializer,
    ReservationSerializer,
)


class ReservationPagination(PageNumberPagination):
    page_size = 50


def _code(code: str) -> str:
    """PostgreSQL cannot even compare text holding a NUL; no reservation code has one."""
    if not code.isprintable():
        raise Reservation.DoesNotExist
    return code


def report_hostile_fields(view: TenantApiView, data) -> None:
    """Text shaped like an attack is audited, not refused: the rules and the
    sanitizer make it harmless, and the booking (or change) goes on."""
    if not isinstance(data, dict):
        return
    for field in ("guest_name", "guest_email", "special_requests"):
        report_if_hostile(data.get(field), tenant=view.tenant, source="api", actor=view.actor,
                          ip_address=view.ip_address, field=field)


class AvailabilityApi(TenantApiView):
    @extend_schema(
        operation_id="availability",
        summary="Room types free for a stay, with prices",
        description=(
            "Every room type that takes the party, with the rooms free on every night of the stay and "
            "its price. Dates are judged on the hotel's calendar: check-in from today up to "
            f"{MAX_AVAILABILITY_ADVANCE_DAYS} days ahead, 1 to {MAX_NIGHTS} nights. Stays of 7 nights or "
            f"more get {WEEK_DISCOUNT:.0%} off, of 30 or more {MONTH_DISCOUNT:.0%}."
        ),
        parameters=[AvailabilityQuerySerializer, schema.RETRY_AFTER],
        responses={
            200: AvailabilitySerializer,
            400: schema.FIELD_ERRORS,
            401: schema.UNAUTHENTICATED,
            502: schema.PMS_REJECTED,
            503: schema.PMS_UNAVAILABLE,
        },
        examples=[schema.AVAILABILITY_EXAMPLE],
    )
    def get(self, request):
        query = _AVAILABILITY_QUERY.run_validation(request.query_params)  # ValidationError: 400, as is_valid
        availability = availability_for(tenant=self.tenant, **query)
        return Response(_AVAILABILITY.to_representation(availability))


# Built once and shared by every request and thread, as webhooks/envelope.py does:
# a serializer instance deep-copies its declared field tree, which re-runs every
# field's __init__, and for availability that was a tenth of the answer. Neither
# keeps state on its fields or reads its context.
_AVAILABILITY_QUERY = AvailabilityQuerySerializer()
_AVAILABILITY = AvailabilitySerializer()


class ReservationsApi(TenantApiView):
    pagination_class = ReservationPagination

    @extend_schema(
        operation_id="reservations_list",
        summary="The hotel's reservations, newest first",
        description="Fifty a page; `?page=` moves through them.",
        parameters=[ReservationFilterSerializer],
        responses={
            200: ReservationSerializer(many=True),
            400: schema.FIELD_ERRORS,
            401: schema.UNAUTHENTICATED,
            404: schema.NO_SUCH_PAGE,
        },
    )
    def get(self, request):
        filters = ReservationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        reservations = reservations_for(tenant=self.tenant, **filters.validated_data)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(reservations, request, view=self)
        data = ReservationSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        operation_id="reservation_create",
        summary="Book one room",
        description=(
            "Books one room of the type for every night of the stay, priced as availability quotes it. "
            "Send an `Idempotency-Key` to retry safely after a timeout: a final answer (201, 400, 403, "
            "422) is replayed to retries, a 409 or 503 is not. While the hotel's PMS is down the answer "
            "is 503 with `Retry-After` and nothing is kept: send the same request again later."
        ),
        parameters=[schema.IDEMPOTENCY_KEY, schema.IDEMPOTENT_REPLAYED, schema.RETRY_AFTER],
        request=ReservationCreateSerializer,
        responses={
            201: ReservationSerializer,
            400: schema.INVALID_BODY,
            401: schema.UNAUTHENTICATED,
            403: schema.error("The hotel does not accept bookings from this guest.", "guest_not_allowed"),
            409: schema.conflict(
                "No room for every night, the guest has too many active reservations, a request with "
                "the same Idempotency-Key is still running, or another request held a lock this one "
                "needed (`busy`). Nothing was booked and none of these is kept against the "
                "Idempotency-Key: the same request may be sent again.",
                "unavailable", "active_reservation_limit", "idempotency_request_in_progress",
            ),
            422: schema.error(
                "The Idempotency-Key was already used with a different body.", "idempotency_key_reused"
            ),
            502: schema.PMS_REJECTED,
            503: schema.PMS_UNAVAILABLE,
        },
        examples=[schema.BOOKING_REQUEST_EXAMPLE, schema.RESERVATION_EXAMPLE],
    )
    def post(self, request):
        key = idempotency.key_from(request)
        if key is None:
            return self._book(request)
        return idempotency.respond_once(
            tenant=self.tenant, key=key, body=request.data, respond=lambda: self._book_or_refuse(request)
        )

    def _book(self, request) -> Response:
        booking = ReservationCreateSerializer(data=request.data)
        report_hostile_fields(self, request.data)
        booking.is_valid(raise_exception=True)
        reservation = reservation_create(
            tenant=self.tenant, **booking.validated_data,
            source="api", actor=self.actor, ip_address=self.ip_address,
            client_reference=idempotency.client_reference(
                tenant=self.tenant, key=idempotency.key_from(request)
            ),
        )
        data = ReservationSerializer(reservation, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)

    def _book_or_refuse(self, request) -> Response:
        """The booking's response, refusals included, for the idempotency record."""
        try:
            return self._book(request)
        except Exception as exc:
            return self.handle_exception(exc)


class ReservationDetailApi(TenantApiView):
    @extend_schema(
        operation_id="reservation_retrieve",
        summary="One reservation",
        description="Another hotel's code answers 404, exactly like an unknown one.",
        parameters=[schema.RESERVATION_CODE],
        responses={200: ReservationSerializer, 401: schema.UNAUTHENTICATED, 404: schema.NOT_FOUND},
        examples=[schema.RESERVATION_EXAMPLE],
    )
    def get(self, request, code):
        reservation = reservation_get(tenant=self.tenant, code=_code(code))
        return Response(ReservationSerializer(reservation, context={"request": request}).data)

    @extend_schema(
        operation_id="reservation_change",
        summary="Change a reservation's dates, room type, party or contact details",
        description=(
            "Send only the fields that change. A new stay is checked and priced by the same rules as a "
            "booking, and moves the rooms all or nothing: when a night of it is not free the reservation "
            "keeps its old nights (409 `unavailable`). Contact details and special requests change "
            "without touching the rooms or the price. Only a confirmed reservation can change (409 "
            "`reservation_not_changeable` otherwise). `Idempotency-Key` works as for a booking."
        ),
        parameters=[schema.RESERVATION_CODE, schema.IDEMPOTENCY_KEY, schema.IDEMPOTENT_REPLAYED,
                    schema.RETRY_AFTER],
        request=ReservationChangeSerializer,
        responses={
            200: ReservationSerializer,
            400: schema.INVALID_BODY,
            401: schema.UNAUTHENTICATED,
            403: schema.error("The hotel does not accept bookings from this guest.", "guest_not_allowed"),
            404: schema.NOT_FOUND,
            409: schema.NOT_CHANGEABLE_OR_CONFLICT,
            422: schema.error(
                "The Idempotency-Key was already used with a different request.", "idempotency_key_reused"
            ),
            502: schema.PMS_REJECTED,
            503: schema.PMS_UNAVAILABLE,
        },
        examples=[schema.CHANGE_REQUEST_EXAMPLE, schema.RESERVATION_EXAMPLE],
    )
    def patch(self, request, code):
        key = idempotency.key_from(request)
        if key is None:
            return self._change(request, code)
        return idempotency.respond_once(
            tenant=self.tenant, key=key, body={"change": code, "body": request.data},
            respond=lambda: self._change_or_refuse(request, code),
        )

    def _change(self, request, code) -> Response:
        changes = ReservationChangeSerializer(data=request.data)
        report_hostile_fields(self, request.data)
        changes.is_valid(raise_exception=True)
        key = idempotency.key_from(request)
        reservation = reservation_change(
            tenant=self.tenant, code=_code(code), **changes.validated_data,
            source=Reservation.Source.API, actor=self.actor, ip_address=self.ip_address,
            client_reference=idempotency.client_reference(tenant=self.tenant, key=key),
        )
        return Response(ReservationSerializer(reservation, context={"request": request}).data)

    def _change_or_refuse(self, request, code) -> Response:
        try:
            return self._change(request, code)
        except Exception as exc:
            return self.handle_exception(exc)


class ReservationCancelApi(TenantApiView):
    @extend_schema(
        operation_id="reservation_cancel",
        summary="Cancel a reservation and free its rooms",
        description="Cancelling an already cancelled reservation changes nothing and returns it again.",
        parameters=[schema.RESERVATION_CODE, schema.RETRY_AFTER],
        request=None,
        responses={
            200: ReservationSerializer, 401: schema.UNAUTHENTICATED, 404: schema.NOT_FOUND,
            409: schema.conflict(
                "Another request held the reservation or its nights too long (`busy`); nothing changed, "
                "send it again after `retry_after` seconds."
            ),
        },
    )
    def post(self, request, code):
        reservation = reservation_cancel(
            tenant=self.tenant, code=_code(code), source=Reservation.Source.API, actor=self.actor,
            ip_address=self.ip_address,
        )
        return Response(ReservationSerializer(reservation, context={"request": request}).data)
