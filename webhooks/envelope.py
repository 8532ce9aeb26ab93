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

Deliveries as Meta sends them are first read without the tree by a fast path
(`_fast_envelope`) that gives its value or leaves the decision to it.
"""
import datetime
import re
from collections.abc import Callable
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


def _moment(data: Any) -> datetime.datetime | None:
    """The time EpochField reads in `data`, None when it refuses it: shared with
    the fast path, so the rule is written once."""
    if isinstance(data, str) and _DIGITS.fullmatch(data):
        data = int(data)
    if isinstance(data, bool) or not isinstance(data, int) or not 0 < data < MAX_EPOCH:
        return None
    return datetime.datetime.fromtimestamp(data, tz=datetime.UTC)


class EpochField(serializers.Field):
    """Meta sends seconds since the epoch as a string of digits (sometimes a bare
    integer). A float, a sign, an exponent or an absurd date is refused."""

    default_error_messages = {"invalid": "Not a Unix time in seconds between 1970 and 2100."}

    def to_internal_value(self, data: Any) -> datetime.datetime:
        moment = _moment(data)
        if moment is None:
            self.fail("invalid")
        return moment

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


# The fast path. The tree above costs ~120 µs for a one-message delivery, nearly
# all of it DRF's machinery (a call, a lookup and a validator loop per field),
# while a delivery should cost little more than its INSERT and LPUSH. So the
# deliveries Meta really sends are first read by plain functions mirroring the
# tree field by field (~16 µs). They give exactly the tree's value or defer
# (`_Defer`), and then the tree decides: every refusal, every item set aside and
# every error message still comes from it. Hence the narrow acceptance: the
# exact JSON types only (a subclass, an error code sent as "131047", a voice flag
# sent as "true" are doubts), and no item the tree would set aside. A field
# declared above must be declared here too, in the tree's order:
# tests/webhooks/test_envelope_fast_path.py fails until it is.

class _Defer(Exception):
    """Not certain to give the tree's value: not an error, the tree decides."""


_MISSING = object()  # the key is absent, as DRF's `empty`
# IdentifierField's control characters and CharField's NUL and surrogates.
_UNSAFE_IDENTIFIER = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_UNSAFE_STRING = re.compile(r"[\x00\ud800-\udfff]")
_INTEGERS = range(-(2**63), 2**63)  # what IntegerField surely reads as itself
_Reader = Callable[[Any], Any]  # a field: the value given (or _MISSING) -> the value kept (or _MISSING)


def _string(value: Any) -> str:
    """StrictCharField, required, not blank."""
    if type(value) is not str or not value or _UNSAFE_STRING.search(value):
        raise _Defer
    return value


def _identifier(max_length: int, *, default: str | None = None, blank: bool = False) -> _Reader:
    """IdentifierField: required unless it has a default."""
    def read(value: Any) -> str:
        if value is _MISSING and default is not None:
            return default
        if type(value) is not str or len(value) > max_length or _UNSAFE_IDENTIFIER.search(value):
            raise _Defer
        if not (value or blank):
            raise _Defer
        return value
    return read


def _free_text(value: Any) -> str:
    if value is _MISSING:
        return ""
    if type(value) is not str:
        raise _Defer
    return storable_text(value)


def _epoch(value: Any) -> datetime.datetime:
    moment = _moment(value)
    if moment is None:
        raise _Defer
    return moment


def _integer(value: Any) -> Any:
    if value is not _MISSING and (type(value) is not int or value not in _INTEGERS):
        raise _Defer
    return value


def _boolean(value: Any) -> bool:
    if value is _MISSING:
        return False
    if type(value) is not bool:
        raise _Defer
    return value


def _coordinate(limit: float) -> _Reader:
    def read(value: Any) -> Any:
        if value is _MISSING:
            return _MISSING
        if type(value) not in (int, float) or not -limit <= value <= limit:
            raise _Defer
        return float(value)
    return read


def _dict(value: Any) -> dict[str, Any]:
    """DictField: a copy with str keys."""
    if type(value) is not dict:
        raise _Defer
    return {str(key): item for key, item in value.items()}


def _json(value: Any) -> Any:
    try:
        return storable_json(value)
    except ValueError:
        raise _Defer from None


def _record(data: Any, fields: dict[str, _Reader]) -> dict[str, Any]:
    """A Serializer: its fields read from an object, extra keys left out."""
    if type(data) is not dict:
        raise _Defer
    record = {}
    for name, read in fields.items():
        value = read(data.get(name, _MISSING))
        if value is not _MISSING:
            record[name] = value
    return record


def _nested(fields: dict[str, _Reader], *, required: bool = False) -> _Reader:
    def read(value: Any) -> Any:
        return _MISSING if value is _MISSING and not required else _record(value, fields)
    return read


def _many(read_one: _Reader, *, required: bool = False, default: Callable[[], list] | None = None) -> _Reader:
    """many=True: the list, with its default when missing."""
    def read(value: Any) -> Any:
        if value is _MISSING and not required:
            return _MISSING if default is None else default()
        if type(value) is not list:
            raise _Defer
        return [read_one(item) for item in value]
    return read


def _items(read_one: _Reader) -> _Reader:
    """ItemsField, when every item fits."""
    read_list = _many(read_one, default=list)
    return lambda value: Items(accepted=read_list(value))


_REPLY = {"id": _identifier(256, default="", blank=True), "title": _free_text, "description": _free_text}
_MEDIA = _nested({
    "id": _identifier(255, default="", blank=True), "mime_type": _identifier(128, default="", blank=True),
    "sha256": _identifier(128, default="", blank=True), "caption": _free_text, "filename": _free_text,
    "voice": _boolean,
})
_MESSAGE = {  # in the tree's order, "from" last (MessageSerializer.get_fields)
    "id": _identifier(255), "timestamp": _epoch, "type": _identifier(32, default="unknown"),
    "text": _nested({"body": _free_text}),
    "interactive": _nested({"type": _identifier(32, default="", blank=True),
                            "button_reply": _nested(_REPLY), "list_reply": _nested(_REPLY)}),
    "button": _nested({"text": _free_text, "payload": _free_text}),
    "context": _nested({"id": _identifier(255, default="")}),
    "image": _MEDIA, "audio": _MEDIA, "video": _MEDIA, "document": _MEDIA, "sticker": _MEDIA,
    "location": _nested({"latitude": _coordinate(90), "longitude": _coordinate(180),
                         "name": _free_text, "address": _free_text}),
    "from": _identifier(128),
}
_ERROR = _nested({"code": _integer, "title": _free_text, "message": _free_text,
                  "error_data": _nested({"details": _free_text})}, required=True)
_STATUS = {"id": _identifier(255), "status": _identifier(32), "timestamp": _epoch,
           "recipient_id": _identifier(128, default=""), "errors": _many(_ERROR)}


def _message(data: Any) -> dict[str, Any]:
    return _record(data, _MESSAGE) | {"raw": _json(data)}


def _status(data: Any) -> dict[str, Any]:
    return _record(data, _STATUS) | {"errors": _json(data.get("errors", []))}


_VALUE_FIELDS = {
    "metadata": _nested({"phone_number_id": _identifier(128)}, required=True),
    "contacts": _items(_nested({"wa_id": _identifier(128, default=""),
                                "profile": _nested({"name": _free_text})}, required=True)),
    "messages": _items(_message), "statuses": _items(_status), "errors": _many(_ERROR),
}


def _change(data: Any) -> dict[str, Any]:
    change = _record(data, {"field": _string, "value": _dict})
    if change["field"] == MESSAGES_FIELD:
        change["value"] = _record(change["value"], _VALUE_FIELDS)
    return change


def _object(value: Any) -> str:
    if type(value) is not str or value != OBJECT:
        raise _Defer
    return value


_ENTRY = _nested({"changes": _many(_change, default=list)}, required=True)
_ENVELOPE_FIELDS = {"object": _object, "entry": _many(_ENTRY, required=True)}


def _fast_envelope(payload: Any) -> dict[str, Any] | None:
    """`_ENVELOPE.run_validation(payload)`, the same value, for what Meta really
    sends; None when the tree must decide (see "The fast path" above)."""
    try:
        return _record(payload, _ENVELOPE_FIELDS)
    except _Defer:
        return None


def message_values(payload: Any) -> list[tuple[str, dict[str, Any]]]:
    """The validated value of every `messages` change, with where it sits in the
    delivery (`entry[0].changes[1]`); MalformedPayload when the envelope does not fit."""
    envelope = _fast_envelope(payload)
    try:
        if envelope is None:
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
