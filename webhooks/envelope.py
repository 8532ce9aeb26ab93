"""The WhatsApp Cloud API webhook envelope, as one serializer tree.

Meta's shape is checked before anything reads it, so a delivery that does not
fit is answered 400 instead of failing deep inside normalization. Only what we
read is declared: Meta adds fields and message types without notice (image,
reaction, system, unsupported…), and an unknown field must never cost a guest's
message. Messages, statuses and contacts are checked one by one (`ItemsField`):
a bad one is set aside and reported, the others are kept.

What may be stored is decided here, field by field. An identifier (message and
status ids, the sender, the receiving phone_number_id, the recipient) carrying
NUL, a lone surrogate or another control character is refused: cleaned, it
could name something else. Free text (bodies, names, titles, error messages) is
cleaned with `storable_text`, and the raw message and status errors we keep
with `storable_json`.
"""
import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.validators import RegexValidator
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from security.validation import storable_json, storable_text

OBJECT = "whatsapp_business_account"
MESSAGES_FIELD = "messages"
# Epoch seconds we accept: after 1970 and before 2100. Beyond lie only bugs and
# probes (milliseconds, 1e400, negative numbers), none a time a guest wrote.
MAX_EPOCH = 4102444800
_DIGITS = re.compile(r"[0-9]{1,10}")


class MalformedPayload(ValueError):
    """The body is JSON but not the channel's envelope; `detail` says where."""

    def __init__(self, detail: Any):
        super().__init__("not a WhatsApp Business Account notification")
        self.detail = detail


class StrictCharField(serializers.CharField):
    """A JSON string: a number, bool or object is not coerced into one."""

    default_error_messages = {"invalid": "Not a string."}

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class IdentifierField(StrictCharField):
    """An id we match or store as is: no control character, NUL included, and
    (CharField's own validator) no surrogate; too long is refused, not cut."""

    def __init__(self, *, max_length: int, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        self.validators.append(RegexValidator(r"[\x00-\x1f\x7f]", inverse_match=True,
                                              message="Control characters are not allowed."))


class FreeTextField(StrictCharField):
    """Words a person wrote: kept, minus what the database cannot hold."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", "")
        super().__init__(allow_blank=True, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        return storable_text(super().to_internal_value(data))


class EpochField(serializers.Field):
    """Meta sends seconds since the epoch as a string of digits (sometimes a bare
    integer). A float, a sign, an exponent or an absurd date is refused."""

    default_error_messages = {"invalid": "Not a Unix time in seconds between 1970 and 2100."}

    def to_internal_value(self, data: Any) -> datetime.datetime:
        if isinstance(data, str) and _DIGITS.fullmatch(data):
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int) or not 0 < data < MAX_EPOCH:
            self.fail("invalid")
        return datetime.datetime.fromtimestamp(data, tz=datetime.UTC)

    def to_representation(self, value: datetime.datetime) -> str:
        return str(int(value.timestamp()))


@dataclass(frozen=True)
class Rejected:
    index: int
    errors: Any


@dataclass(frozen=True)
class Items:
    accepted: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


class ItemsField(serializers.ListField):
    """A list whose items stand alone: one that does not fit is set aside with its
    errors instead of refusing the whole delivery."""

    def to_internal_value(self, data: Any) -> Items:
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        items = Items()
        for index, item in enumerate(data):
            try:
                items.accepted.append(self.child.run_validation(item))
            except ValidationError as exc:
                items.rejected.append(Rejected(index, exc.detail))
        return items


def _storable(data: dict[str, Any]) -> Any:
    try:
        return storable_json(data)
    except ValueError:
        raise ValidationError({"non_field_errors": ["Nested too deeply."]}) from None


class ProfileSerializer(serializers.Serializer):
    name = FreeTextField()


class ContactSerializer(serializers.Serializer):
    wa_id = IdentifierField(max_length=128, required=False, default="")
    profile = ProfileSerializer(required=False)


class TextSerializer(serializers.Serializer):
    body = FreeTextField()


class ReplySerializer(serializers.Serializer):
    """A tapped reply button or list row: the id is the one we sent (processing
    hands it to the agent), the title and description are what the guest saw."""

    id = IdentifierField(max_length=256, required=False, default="", allow_blank=True)
    title = FreeTextField()
    description = FreeTextField()


class InteractiveSerializer(serializers.Serializer):
    """Only taps are read; other interactive replies (flows, products…) are kept
    as they came and reach the agent without text."""

    type = IdentifierField(max_length=32, required=False, default="", allow_blank=True)
    button_reply = ReplySerializer(required=False)
    list_reply = ReplySerializer(required=False)


class ButtonSerializer(serializers.Serializer):
    """A template's quick reply: `payload` plays the part of the id."""

    text = FreeTextField()
    payload = FreeTextField()


class MediaSerializer(serializers.Serializer):
    """An image, audio (a voice note when `voice`), video, document or sticker:
    the file is fetched later by its id (webhooks/media.py)."""

    id = IdentifierField(max_length=255, required=False, default="", allow_blank=True)
    mime_type = IdentifierField(max_length=128, required=False, default="", allow_blank=True)
    sha256 = IdentifierField(max_length=128, required=False, default="", allow_blank=True)
    caption = FreeTextField()
    filename = FreeTextField()
    voice = serializers.BooleanField(required=False, default=False)


class CoordinateField(serializers.Field):
    """Degrees as a JSON number within ±`limit`: a string, a bool, NaN or an
    infinity is refused."""

    default_error_messages = {"invalid": "Not a coordinate."}

    def __init__(self, *, limit: float, **kwargs):
        self.limit = limit
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> float:
        number = isinstance(data, int | float) and not isinstance(data, bool)
        if not number or not -self.limit <= data <= self.limit:
            self.fail("invalid")
        return float(data)

    def to_representation(self, value: float) -> float:
        return value


class LocationSerializer(serializers.Serializer):
    latitude = CoordinateField(limit=90, required=False)
    longitude = CoordinateField(limit=180, required=False)
    name = FreeTextField()
    address = FreeTextField()


class ContextSerializer(serializers.Serializer):
    id = IdentifierField(max_length=255, required=False, default="")


class MessageSerializer(serializers.Serializer):
    """One guest message. `raw` is the whole object, cleaned for storage. A
    media or location message's object is declared too: its metadata is stored
    with the message (webhooks/media.py), its caption read as the text."""

    id = IdentifierField(max_length=255)
    sender = IdentifierField(max_length=128)  # "from" on the wire, see get_fields
    timestamp = EpochField()
    type = IdentifierField(max_length=32, required=False, default="unknown")
    text = TextSerializer(required=False)
    interactive = InteractiveSerializer(required=False)
    button = ButtonSerializer(required=False)
    context = ContextSerializer(required=False)
    image = MediaSerializer(required=False)
    audio = MediaSerializer(required=False)
    video = MediaSerializer(required=False)
    document = MediaSerializer(required=False)
    sticker = MediaSerializer(required=False)
    location = LocationSerializer(required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = fields.pop("sender")  # a Python keyword cannot be declared
        return fields

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        message = super().to_internal_value(data)
        message["raw"] = _storable(data)
        return message


class ErrorDataSerializer(serializers.Serializer):
    details = FreeTextField()


class ErrorSerializer(serializers.Serializer):
    code = serializers.IntegerField(required=False)
    title = FreeTextField()
    message = FreeTextField()
    error_data = ErrorDataSerializer(required=False)


class StatusSerializer(serializers.Serializer):
    """What became of one of our replies. `errors` come out as Meta sent them
    (cleaned), extra fields included: staff read them when a reply failed."""

    id = IdentifierField(max_length=255)
    status = IdentifierField(max_length=32)
    timestamp = EpochField()
    recipient_id = IdentifierField(max_length=128, required=False, default="")
    errors = ErrorSerializer(many=True, required=False)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        status = super().to_internal_value(data)
        status["errors"] = _storable(data.get("errors", []))
        return status


class MetadataSerializer(serializers.Serializer):
    phone_number_id = IdentifierField(max_length=128)


class ValueSerializer(serializers.Serializer):
    """The value of a `messages` change: what one receiving number got."""

    metadata = MetadataSerializer()
    contacts = ItemsField(child=ContactSerializer(), required=False, default=Items)
    messages = ItemsField(child=MessageSerializer(), required=False, default=Items)
    statuses = ItemsField(child=StatusSerializer(), required=False, default=Items)
    errors = ErrorSerializer(many=True, required=False)


class ChangeSerializer(serializers.Serializer):
    """Other fields (template status, account updates…) have other values: any
    object will do, only a `messages` value is read."""

    field = StrictCharField()
    value = serializers.DictField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["field"] == MESSAGES_FIELD:
            try:
                attrs["value"] = _VALUE.run_validation(attrs["value"])
            except ValidationError as exc:
                raise ValidationError({"value": exc.detail}) from None
        return attrs


class EntrySerializer(serializers.Serializer):
    changes = ChangeSerializer(many=True, required=False, default=list)


class EnvelopeSerializer(serializers.Serializer):
    object = StrictCharField()
    entry = EntrySerializer(many=True)

    def validate_object(self, value: str) -> str:
        if value != OBJECT:
            raise ValidationError("Not a WhatsApp Business Account notification.")
        return value


# One tree of each, built once and shared by every delivery and thread. A DRF
# serializer instance deep-copies its declared fields, which re-runs every field's
# __init__ down the whole tree: a quarter of a delivery's time, to rebuild the same
# objects. Validation keeps no state on the fields (run_validation returns what it
# validated, is_valid would store it on the instance), and nothing here reads the
# serializer's context, so sharing is safe.
_VALUE = ValueSerializer()
_ENVELOPE = EnvelopeSerializer()


def message_values(payload: Any) -> list[tuple[str, dict[str, Any]]]:
    """The validated value of every `messages` change, with where it sits in the
    delivery (`entry[0].changes[1]`); MalformedPayload when the envelope does not fit."""
    try:
        envelope = _ENVELOPE.run_validation(payload)
    except ValidationError as exc:
        # As Serializer.errors would say it: always an object of fields.
        raise MalformedPayload(
            exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        ) from None
    return [
        (f"entry[{e}].changes[{c}]", change["value"])
        for e, entry in enumerate(envelope["entry"])
        for c, change in enumerate(entry["changes"])
        if change["field"] == MESSAGES_FIELD
    ]
