"""The back office's booking forms. They only read types (a date, a number);
every rule is applied by reservation_create / reservation_change, whose field
errors are put back on these fields so staff read them where they typed."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant

from .models import RoomType

FIELDS = ("room_type", "check_in", "check_out", "guests", "guest_name", "guest_email", "guest_phone",
          "special_requests")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def room_type_choices(tenants) -> list:
    """Room type codes grouped by hotel (the service checks the code belongs to the hotel chosen)."""
    by_hotel: dict[str, list] = {}
    room_types = RoomType.objects.with_scopes_disabled().filter(tenant__in=tenants).select_related("tenant")
    for room_type in room_types.order_by("tenant__name", "base_rate", "code"):
        by_hotel.setdefault(room_type.tenant.name, []).append((room_type.code, room_type.name))
    choices = list(by_hotel.items())
    if len(choices) == 1:
        return choices[0][1]
    return choices


class BookingForm(forms.Form):
    room_type = forms.ChoiceField(label=_("Room type"))
    check_in = forms.DateField(label=_("Check-in"), widget=DateInput())
    check_out = forms.DateField(label=_("Check-out"), widget=DateInput())
    guests = forms.IntegerField(label=_("Guests"), initial=2)
    guest_name = forms.CharField(label=_("Guest name"), max_length=1000)
    guest_email = forms.CharField(label=_("Email"), max_length=1000)
    guest_phone = forms.CharField(label=_("Phone"), max_length=1000)
    special_requests = forms.CharField(
        label=_("Special requests"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, tenants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room_type"].choices = room_type_choices(tenants)

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's field errors on the fields; any other on top of the form."""
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class NewReservationForm(BookingForm):
    """A phone or walk-in booking, at one of the user's hotels."""

    hotel = forms.ModelChoiceField(label=_("Hotel"), queryset=Tenant.objects.none(), empty_label=None)
    field_order = ("hotel", *FIELDS)

    def __init__(self, *args, tenants, **kwargs):
        super().__init__(*args, tenants=tenants, **kwargs)
        self.fields["hotel"].queryset = tenants


class ChangeReservationForm(BookingForm):
    """A reservation's stay and contact details; what is left as it was is not sent."""

    def __init__(self, *args, reservation, **kwargs):
        initial = {
            "room_type": reservation.room_type.code, "check_in": reservation.check_in,
            "check_out": reservation.check_out, "guests": reservation.guests,
            "guest_name": reservation.guest_name, "guest_email": reservation.guest_email,
            "guest_phone": reservation.guest_phone, "special_requests": reservation.special_requests,
        }
        super().__init__(*args, tenants=Tenant.objects.filter(pk=reservation.tenant_id), initial=initial,
                         **kwargs)

    def changes(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.changed_data if field in FIELDS}
