"""The parameters each purpose's template may take, and the Graph API body that
fills them.

A template is approved at Meta with numbered placeholders ({{1}}, {{2}}…); the
hotel stores which of our values goes in each, in order (MessageTemplate.parameters).
The values themselves travel with the message (OutboundMessage.template_values),
so a template edited or added later still finds what it needs.
"""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: The values a message of each purpose carries, by name, with what they hold.
#: README "WhatsApp templates" lists them for the hotels' approval requests.
PARAMETERS: dict[str, dict[str, str]] = {
    "pre_arrival": {
        "guest_name": "the guest's name",
        "hotel_name": "the hotel's name",
        "reservation_code": "the reservation code, HA-…",
        "check_in_date": "the arrival date, written out in the guest's language",
        "check_out_date": "the departure date, written out",
        "check_in_time": "the hotel's check-in time, 15:00",
        "address": "the hotel's address",
        "guest_link": "the guest's reservation page",
    },
    "post_stay_survey": {
        "guest_name": "the guest's name",
        "hotel_name": "the hotel's name",
        "reservation_code": "the reservation code",
    },
    "booking_confirmed": {
        "guest_name": "the guest's name",
        "hotel_name": "the hotel's name",
        "reservation_code": "the reservation code",
        "check_in_date": "the arrival date",
        "check_out_date": "the departure date",
        "total": "the total price with its currency",
        "guest_link": "the guest's reservation page",
    },
    "booking_changed": {
        "guest_name": "the guest's name",
        "reservation_code": "the reservation code",
        "check_in_date": "the new arrival date",
        "check_out_date": "the new departure date",
        "total": "the new total price",
    },
    "booking_cancelled": {
        "guest_name": "the guest's name",
        "reservation_code": "the reservation code",
    },
    "staff_reply": {
        "hotel_name": "the hotel's name",
        "text": "what the member of staff wrote",
    },
}

#: Meta's limit for one body parameter's text; longer values are cut, never refused.
MAX_PARAMETER = 1024


def check_parameters(purpose: str, parameters: object) -> None:
    """A ValidationError naming the field when the list is not one of the
    purpose's parameter names, each at most once."""
    known = PARAMETERS.get(purpose, {})
    if not isinstance(parameters, list) or not all(isinstance(name, str) for name in parameters):
        raise ValidationError({"parameters": _('A list of parameter names, e.g. ["guest_name", "code"].')})
    unknown = [name for name in parameters if name not in known]
    if unknown:
        raise ValidationError({"parameters": _("Unknown for this purpose: %(unknown)s. Known: %(known)s.") % {
            "unknown": ", ".join(unknown), "known": ", ".join(known)}})
    if len(set(parameters)) != len(parameters):
        raise ValidationError({"parameters": _("Each parameter at most once.")})


def template_body(template, values: dict) -> dict:
    """The `template` object of a Graph API message: name, language and the body
    parameters in the template's order (a missing value is sent as "-": Meta
    refuses an empty parameter, and a message a little short beats no message)."""
    body: dict = {"name": template.name, "language": {"code": template.language}}
    parameters = [
        {"type": "text", "text": _parameter_text(values.get(name))}
        for name in template.parameters
    ]
    if parameters:
        body["components"] = [{"type": "body", "parameters": parameters}]
    return body


def one_line(text: str, limit: int) -> str:
    """Text for a field Meta keeps to one line and a length (button and row
    titles, template parameters): whitespace runs become one space, and what is
    too long is cut with "…" rather than refused."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _parameter_text(value: object) -> str:
    # Meta refuses new lines, tabs and more than four spaces in a row in a
    # parameter, and an empty one.
    return one_line(str(value if value is not None else ""), MAX_PARAMETER) or "-"
