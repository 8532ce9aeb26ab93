"""OpenAPI pieces shared by the endpoints: error bodies, headers, examples."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from .idempotency import HEADER, MAX_KEY_LENGTH, REPLAYED_HEADER
from .serializers import (
    ChangeConflictSerializer,
    ConflictErrorSerializer,
    DetailSerializer,
    ErrorSerializer,
    UnavailableErrorSerializer,
)


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describes security.authentication.ApiKeyAuthentication; registered on import."""

    target_class = "security.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": "`Api-Key <key>`"}

    def get_security_requirement(self, auto_schema):
        return None  # SPECTACULAR_SETTINGS["SECURITY"] already requires it on every operation


def error(description: str, *codes: str) -> OpenApiResponse:
    return OpenApiResponse(
        ErrorSerializer, description=description,
        examples=[OpenApiExample(code, value={"error": code}) for code in codes],
    )


BUSY_EXAMPLE = OpenApiExample("busy", value={"error": "busy", "retry_after": 3})


def conflict(description: str, *codes: str) -> OpenApiResponse:
    """A 409: the codes given, and `busy` (a lock held too long by another request;
    nothing changed) with `retry_after`. None of them is kept against an Idempotency-Key."""
    return OpenApiResponse(
        ConflictErrorSerializer, description=description,
        examples=[*(OpenApiExample(code, value={"error": code}) for code in codes), BUSY_EXAMPLE],
    )


MESSAGES_BY_FIELD = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}
FIELD_ERRORS_EXAMPLE = OpenApiExample(
    "Field errors",
    value={"check_out": ["Check-out must be after check-in."],
           "guests": ["Guests must be between 1 and 10."]},
)
FIELD_ERRORS = OpenApiResponse(
    MESSAGES_BY_FIELD,
    description="Invalid input: messages by field name, in the hotel's language.",
    examples=[FIELD_ERRORS_EXAMPLE],
)
# A body that is not JSON never reaches the fields: DRF's parser answers `{"detail": ...}`.
INVALID_BODY = OpenApiResponse(
    {"oneOf": [
        MESSAGES_BY_FIELD,
        {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"],
         "additionalProperties": False},
    ]},
    description=(
        "Invalid input: messages by field name, in the hotel's language; or `detail` alone when the body "
        "is not JSON."
    ),
    examples=[FIELD_ERRORS_EXAMPLE, OpenApiExample(
        "Not JSON", value={"detail": "JSON parse error - Expecting value: line 1 column 1 (char 0)"},
    )],
)
UNAUTHENTICATED = OpenApiResponse(DetailSerializer, description="Missing, wrong or revoked API key.")
NOT_FOUND = OpenApiResponse(DetailSerializer, description="No reservation with this code at this hotel.")
NO_SUCH_PAGE = OpenApiResponse(DetailSerializer, description="`page` is not a page of the list.")
PMS_UNAVAILABLE = OpenApiResponse(
    UnavailableErrorSerializer,
    description=(
        "The hotel's property-management system is unavailable (and, for availability, no earlier copy "
        "is kept). Nothing was booked; retry after `retry_after` seconds (also the `Retry-After` header)."
    ),
    examples=[OpenApiExample("pms_unavailable", value={"error": "pms_unavailable", "retry_after": 30})],
)
PMS_REJECTED = error(
    "The hotel's property-management system refused the booking (its set-up, e.g. an unmapped room "
    "type); nothing was booked.", "pms_rejected",
)

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description=(
        f"Up to {MAX_KEY_LENGTH} characters, unique per booking attempt. A retry with the same key and "
        "body gets the first response again (with `Idempotent-Replayed: true`) instead of booking twice."
    ),
)
IDEMPOTENT_REPLAYED = OpenApiParameter(
    REPLAYED_HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, response=[201, 400, 403], enum=["true"],
    description="Present when the response is the stored answer to an earlier request with this key.",
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After", OpenApiTypes.INT, OpenApiParameter.HEADER, response=[409, 503],
    description=(
        "Seconds to wait before sending the request again: until the hotel's PMS may answer (503), or "
        "until the lock or the request with the same Idempotency-Key is likely done (409 `busy`, "
        "`idempotency_request_in_progress`)."
    ),
)
RESERVATION_CODE = OpenApiParameter(
    "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Reservation code, e.g. HA-7K3M9Q."
)

AVAILABILITY_EXAMPLE = OpenApiExample(
    "Two nights for two",
    value={
        "check_in": "2026-05-01", "check_out": "2026-05-03", "nights": 2, "guests": 2,
        "currency": "EUR", "degraded": False, "as_of": None,
        "room_types": [{
            "code": "standard", "name": "Standard", "available": 3,
            "nightly_rates": ["100.00", "120.00"], "subtotal": "220.00",
            "discount_rate": "0.00", "total": "220.00",
        }],
    },
)
BOOKING_REQUEST_EXAMPLE = OpenApiExample(
    "Book a standard room",
    request_only=True,
    value={
        "check_in": "2026-05-01", "check_out": "2026-05-08", "room_type": "standard",
        "guest_name": "Ana García", "guest_email": "ana.garcia@example.com",
        "guest_phone": "+34 612 345 678", "guests": 2, "special_requests": "Late arrival",
    },
)
CHANGE_REQUEST_EXAMPLE = OpenApiExample(
    "Move the stay by a night",
    request_only=True,
    value={"check_in": "2026-05-02", "check_out": "2026-05-09"},
)
NOT_CHANGEABLE_OR_CONFLICT = OpenApiResponse(
    ChangeConflictSerializer,
    description=(
        "No room for every night of the new stay (the old one is kept), a new contact with too many "
        "active reservations, the reservation is no longer confirmed (`reservation_not_changeable`, "
        "with `detail`), a request with the same Idempotency-Key is still running, or `busy`. None of "
        "these is kept against the Idempotency-Key."
    ),
    examples=[
        *(OpenApiExample(code, value={"error": code}) for code in (
            "unavailable", "active_reservation_limit", "idempotency_request_in_progress")),
        OpenApiExample("reservation_not_changeable", value={
            "error": "reservation_not_changeable",
            "detail": "Reservation HA-7K3M9Q is cancelled and can no longer be changed.",
        }),
        BUSY_EXAMPLE,
    ],
)
RESERVATION_EXAMPLE = OpenApiExample(
    "Confirmed reservation",
    response_only=True,
    value={
        "code": "HA-7K3M9Q", "status": "confirmed", "room_type": "standard",
        "guest_name": "Ana García", "guest_email": "ana.garcia@example.com",
        "guest_phone": "+34612345678", "guests": 2, "check_in": "2026-05-01",
        "check_out": "2026-05-08", "nights": 7, "nightly_rates": ["100.00"] * 7,
        "subtotal": "700.00", "discount_rate": "0.10", "total": "630.00", "currency": "EUR",
        "source": "api", "special_requests": "Late arrival",
        "created_at": "2026-04-02T09:30:00.000000Z",
        "guest_link": "https://hotel.example/r/eyJhbGciOiJIUzI1NiIsImtpZCI6IjEi…/",
    },
)


TOO_MANY_AUTH_FAILURES = {
    "description": (
        "Too many failed authentications from this address in the current minute "
        "(API_AUTH_FAILURES_PER_MINUTE): every request from it is refused until `Retry-After` seconds pass."
    ),
    "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
    "content": {"application/json": {"schema": {
        "type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"],
    }}},
}


def add_authentication_throttle(result, generator, request, public):
    """drf-spectacular post-processing hook: every authenticated operation may
    answer 429 (security.authentication throttles addresses that keep guessing)."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if isinstance(operation, dict) and "responses" in operation and operation.get("security") != [{}]:
                operation["responses"].setdefault("429", TOO_MANY_AUTH_FAILURES)
    return result
