"""What the API reads and writes. Input serializers only parse types; every rule
(date windows, guest counts, contact details, room types) is applied by the
selectors and services, so it reads the same from every channel."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..guest.links import guest_link_url
from ..models import Reservation
from .fields import MoneyField, MoneyListField, TextField


class AvailabilityQuerySerializer(serializers.Serializer):
    check_in = serializers.DateField(help_text="Arrival date, YYYY-MM-DD, on the hotel's calendar.")
    check_out = serializers.DateField(help_text="Departure date, YYYY-MM-DD.")
    guests = serializers.IntegerField(
        required=False, default=1, help_text="People sharing one room (1–10); 1 when left out."
    )
    room_type = TextField(
        required=False, allow_blank=True, help_text="Only this room type code (e.g. `standard`)."
    )


class RoomTypeOfferSerializer(serializers.Serializer):
    code = serializers.CharField(source="room_type.code")
    name = serializers.CharField(source="room_type.name")
    available = serializers.IntegerField(help_text="Rooms free on every night of the stay.")
    nightly_rates = MoneyListField(source="quote.nightly_rates", currency_source="quote.currency")
    subtotal = MoneyField(source="quote.subtotal", currency_source="quote.currency")
    discount_rate = serializers.DecimalField(
        source="quote.discount_rate", max_digits=4, decimal_places=2,
        help_text="Long-stay discount: 0.10 from 7 nights, 0.20 from 30.",
    )
    total = MoneyField(source="quote.total", currency_source="quote.currency")


class AvailabilitySerializer(serializers.Serializer):
    check_in = serializers.DateField()
    check_out = serializers.DateField()
    nights = serializers.IntegerField()
    guests = serializers.IntegerField()
    currency = serializers.CharField(help_text="ISO 4217 code of every amount.")
    room_types = RoomTypeOfferSerializer(source="offers", many=True)
    degraded = serializers.BooleanField(
        help_text="True when the hotel's PMS could not answer and this is its last known availability."
    )
    as_of = serializers.DateTimeField(
        allow_null=True, help_text="When a degraded answer was last true; null otherwise."
    )


class ReservationCreateSerializer(serializers.Serializer):
    # Blank text is left to the rules, so it is reported along with every other field.
    check_in = serializers.DateField()
    check_out = serializers.DateField()
    room_type = TextField(allow_blank=True, help_text="Room type code, as listed by availability.")
    guest_name = TextField(allow_blank=True)
    guest_email = TextField(allow_blank=True)
    guest_phone = TextField(allow_blank=True, help_text="Read with the hotel's country as default region.")
    guests = serializers.IntegerField()
    special_requests = TextField(allow_blank=True, default="")


class ReservationChangeSerializer(serializers.Serializer):
    """Any of the fields of a booking; those left out keep their value."""

    check_in = serializers.DateField(required=False)
    check_out = serializers.DateField(required=False)
    room_type = TextField(
        required=False, allow_blank=True, help_text="Room type code, as listed by availability."
    )
    guests = serializers.IntegerField(required=False)
    guest_name = TextField(required=False, allow_blank=True)
    guest_email = TextField(required=False, allow_blank=True)
    guest_phone = TextField(required=False, allow_blank=True)
    special_requests = TextField(required=False, allow_blank=True)


class ReservationFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Reservation.Status.choices, required=False)
    guest_email = TextField(required=False, help_text="Exact address, case-insensitive.")
    check_in_from = serializers.DateField(required=False, help_text="Check-in on or after.")
    check_in_to = serializers.DateField(required=False, help_text="Check-in on or before.")


class ReservationSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=Reservation.Status.choices)
    room_type = serializers.CharField(source="room_type.code")
    guest_name = serializers.CharField()
    guest_email = serializers.CharField()
    guest_phone = serializers.CharField(help_text="E.164.")
    guests = serializers.IntegerField()
    check_in = serializers.DateField()
    check_out = serializers.DateField()
    nights = serializers.IntegerField()
    nightly_rates = MoneyListField()
    subtotal = MoneyField()
    discount_rate = serializers.DecimalField(max_digits=4, decimal_places=2)
    total = MoneyField()
    currency = serializers.CharField()
    source = serializers.ChoiceField(choices=Reservation.Source.choices)
    special_requests = serializers.CharField()
    created_at = serializers.DateTimeField()
    guest_link = serializers.SerializerMethodField(
        help_text="Page where the guest sees and can cancel the reservation; null once the stay is over."
    )

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_guest_link(self, reservation) -> str | None:
        return guest_link_url(reservation, request=self.context.get("request"))


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="A stable code for clients to branch on.")


class UnavailableErrorSerializer(ErrorSerializer):
    retry_after = serializers.IntegerField(help_text="Seconds to wait before retrying (also Retry-After).")


class ConflictErrorSerializer(ErrorSerializer):
    retry_after = serializers.IntegerField(
        required=False, help_text="With `busy`: seconds to wait before retrying (also Retry-After)."
    )


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ChangeConflictSerializer(ConflictErrorSerializer):
    detail = serializers.CharField(
        required=False, help_text="With `reservation_not_changeable`: why, in the hotel's language."
    )
