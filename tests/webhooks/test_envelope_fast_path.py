"""The envelope's fast path reads the deliveries Meta really sends without the
serializer tree, and must give exactly the tree's value or defer to it: it never
accepts what the tree refuses, and never keeps a different value. A delivery it
is unsure of goes to the tree, so refusals still say what they said before."""
import copy

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from webhooks.envelope import (
    _ENVELOPE,
    _VALUE,
    MAX_EPOCH,
    Items,
    MalformedPayload,
    _fast_envelope,
    message_values,
)

from . import media_payloads, payloads

NOW = 1_700_000_000
NUMBER = payloads.SOL_NUMBER_ID
DROP = object()  # in `edited`: remove the key


def tree(payload):
    """What the serializer tree makes of the payload, None when it refuses it."""
    try:
        return _ENVELOPE.run_validation(copy.deepcopy(payload))
    except ValidationError:
        return None


def assert_same_or_deferred(payload) -> str:
    """The contract, checked on one payload; what happened, for hypothesis's statistics."""
    expected = tree(payload)
    fast = _fast_envelope(copy.deepcopy(payload))
    if expected is None:
        assert fast is None, "the fast path accepted a delivery the tree refuses"
        return "refused"
    if fast is None:
        return "deferred"
    assert fast == expected
    assert repr(fast) == repr(expected)  # same types (str, float, datetime) and key order too
    return "handled"


def message(kind: str = "text", **fields) -> dict:
    bodies = {
        "text": {"body": "Hola, ¿tienen habitación?"},
        "interactive": {"type": "button_reply", "button_reply": {"id": "yes", "title": "Sí"}},
        "button": {"text": "Confirmar", "payload": "confirm-42"},
    }
    base = {"from": payloads.GUEST, "id": "wamid.in.1", "timestamp": str(NOW), "type": kind}
    if kind in bodies:
        base[kind] = bodies[kind]
    return edited(base, **fields)


def status(state: str = "delivered", **fields) -> dict:
    return edited(payloads.status("wamid.out.1", state, timestamp=NOW), **fields)


def edited(obj: dict, **fields) -> dict:
    obj = {**obj, **fields}
    return {key: value for key, value in obj.items() if value is not DROP}


def nested(depth: int) -> list:
    return ["deep"] if depth == 0 else [nested(depth - 1)]


def changes(*changes) -> dict:
    return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": list(changes)}]}


def value(**fields) -> dict:
    """A `messages` change with these fields beside (or instead of) its metadata."""
    fields = {"metadata": {"phone_number_id": NUMBER}, **fields}
    return payloads.delivery({"field": "messages", "value": fields})


def deliver(*messages, statuses=()) -> dict:
    return payloads.delivery(payloads.change(NUMBER, messages=messages, statuses=statuses))


FAILED = [{"code": 131047, "title": "Re-engagement message", "message": "Re-engagement message",
           "error_data": {"details": "More than 24 hours have passed since the customer last replied."},
           "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}]
TEMPLATE_UPDATE = {"field": "message_template_status_update",
                   "value": {"event": "APPROVED", "message_template_id": 1234, "reason": None}}

COMMON = {
    "text with its contact": deliver(message()),
    "button reply": deliver(message("interactive")),
    "list reply": deliver(message("interactive", interactive={"type": "list_reply", "list_reply": {
        "id": "room-deluxe", "title": "Deluxe", "description": "140 €"}})),
    "template quick reply": deliver(message("button")),
    "reply to one of ours": deliver(message(context={"from": "34910000001", "id": "wamid.out.1"})),
    "sent, delivered and read": deliver(statuses=[status("sent"), status("delivered"), status("read")]),
    "failed with its errors": deliver(statuses=[status("failed", errors=FAILED)]),
    "another field": payloads.delivery(TEMPLATE_UPDATE),
    "several entries": payloads.delivery(
        payloads.change(NUMBER, messages=[message(), message(id="wamid.in.2")]),
        payloads.change(payloads.HARBOR_NUMBER_ID, statuses=[status()]), TEMPLATE_UPDATE,
    ),
    "two changes in one entry": {"object": "whatsapp_business_account", "entry": [
        {"id": "1", "changes": [payloads.change(NUMBER, messages=[message()]), TEMPLATE_UPDATE]}]},
    "an entry without changes": {"object": "whatsapp_business_account", "entry": [{"id": "1"}]},
    "image": deliver(media_payloads.image("wamid.in.1", "1479537139650973", caption="la habitación")),
    "voice note": deliver(media_payloads.voice_note("wamid.in.1", "1479537139650974")),
    "document": deliver(media_payloads.document("wamid.in.1", "1479537139650975")),
    "video": deliver(media_payloads.video("wamid.in.1", "1479537139650976")),
    "sticker": deliver(media_payloads.sticker("wamid.in.1", "1479537139650977")),
    "location": deliver(media_payloads.location("wamid.in.1", name="Hotel Sol", address="Gran Vía 1")),
    "an error for the whole value": value(errors=[{"code": 130429, "title": "Rate limit hit", "message": "x",
                                                   "error_data": {"details": "Too many messages"}}]),
    "unsupported type": deliver(message("unsupported", errors=[{"code": 131051, "title": "Unsupported"}])),
}


@pytest.mark.parametrize("payload", COMMON.values(), ids=COMMON.keys())
def test_what_meta_sends_takes_the_fast_path_to_the_trees_value(payload):
    assert _fast_envelope(copy.deepcopy(payload)) is not None
    assert assert_same_or_deferred(payload) == "handled"


def declared(serializer, prefix: str = ""):
    """The path of every field in a serializer tree; a `messages` change's value is _VALUE's."""
    for name, field in serializer.fields.items():
        yield prefix + name
        child = getattr(field, "child", field)
        if prefix + name == "entry.changes.value":
            child = _VALUE
        if isinstance(child, serializers.Serializer):
            yield from declared(child, f"{prefix}{name}.")


def produced(value, prefix: str = ""):
    if isinstance(value, Items):
        value = value.accepted
    for item in value if isinstance(value, list) else [value]:
        for key, inner in item.items() if isinstance(item, dict) else ():
            yield prefix + key
            yield from produced(inner, f"{prefix}{key}.")


def test_every_field_the_tree_declares_is_compared_on_a_delivery_meta_sends():
    """A field added to a serializer but not to the fast path would be left out
    of its value: the shapes above must carry it, and then the comparison fails."""
    compared = {path for payload in COMMON.values() for path in produced(_fast_envelope(payload))}

    assert set(declared(_ENVELOPE)) - compared == set()


LONG = "x" * 255
EDGES = {
    # ids: strings only, without control characters, NUL or surrogates, not too long
    "numeric id": deliver(message(id=12345)),
    "float id": deliver(message(id=1.5)),
    "bool id": deliver(message(id=True)),
    "null id": deliver(message(id=None)),
    "list id": deliver(message(id=["wamid"])),
    "empty id": deliver(message(id="")),
    "missing id": deliver(message(id=DROP)),
    "id of 255": deliver(message(id=LONG)),
    "id of 256": deliver(message(id=LONG + "x")),
    "NUL in id": deliver(message(id="wamid\x00.1")),
    "tab in id": deliver(message(id="wamid\t1")),
    "DEL in id": deliver(message(id="wamid\x7f")),
    "surrogate in id": deliver(message(id="wamid\ud800")),
    "emoji in id": deliver(message(id="wamid.😀")),
    "numeric sender": deliver(message(**{"from": 34612345678})),
    "missing sender": deliver(message(**{"from": DROP})),
    "sender of 129": deliver(message(**{"from": "3" * 129})),
    "empty type": deliver(message(type="")),
    "missing type": deliver(message(type=DROP)),
    "type of 33": deliver(message(type="t" * 33)),
    # text: cleaned, not refused
    "NUL in text": deliver(message(text={"body": "Ho\x00la"})),
    "surrogate in text": deliver(message(text={"body": "Hola \ud83d"})),
    "control characters in text": deliver(message(text={"body": "a\x01b\r\nc\x7f"})),
    "emoji text": deliver(message(text={"body": "🏨 ¿habitación doble? 👍🏽"})),
    "empty text": deliver(message(text={"body": ""})),
    "missing body": deliver(message(text={})),
    "null body": deliver(message(text={"body": None})),
    "numeric body": deliver(message(text={"body": 42})),
    "text as a string": deliver(message(text="Hola")),
    "text as a list": deliver(message(text=[{"body": "Hola"}])),
    "null text": deliver(message(text=None)),
    "NUL in a key": deliver(message(**{"te\x00xt": "x"})),
    # timestamps: seconds after 1970 and before 2100
    "int timestamp": deliver(message(timestamp=NOW)),
    "zero": deliver(message(timestamp="0")),
    "int zero": deliver(message(timestamp=0)),
    "one": deliver(message(timestamp="1")),
    "negative": deliver(message(timestamp="-1")),
    "negative int": deliver(message(timestamp=-1)),
    "float": deliver(message(timestamp=1.5)),
    "float string": deliver(message(timestamp="1700000000.0")),
    "true": deliver(message(timestamp=True)),
    "11 digits": deliver(message(timestamp="17000000000")),
    "leading zeros": deliver(message(timestamp="0000000001")),
    "MAX_EPOCH": deliver(message(timestamp=str(MAX_EPOCH))),
    "MAX_EPOCH - 1": deliver(message(timestamp=str(MAX_EPOCH - 1))),
    "int MAX_EPOCH - 1": deliver(message(timestamp=MAX_EPOCH - 1)),
    "fullwidth digits": deliver(message(timestamp="１７００００００００")),
    "spaces": deliver(message(timestamp=f" {NOW}")),
    "null timestamp": deliver(message(timestamp=None)),
    "missing timestamp": deliver(message(timestamp=DROP)),
    # replies, context, media
    "reply without id": deliver(message("interactive", interactive={"button_reply": {"title": "Sí"}})),
    "reply with an empty id": deliver(message("interactive", interactive={"button_reply": {"id": ""}})),
    "reply id of 257": deliver(message("interactive", interactive={"button_reply": {"id": "r" * 257}})),
    "reply as a list": deliver(message("interactive", interactive={"list_reply": []})),
    "flow reply": deliver(message("interactive", interactive={"type": "nfm_reply", "nfm_reply": {"x": 1}})),
    "empty interactive": deliver(message("interactive", interactive={})),
    "null button payload": deliver(message("button", button={"text": "Sí", "payload": None})),
    "empty context id": deliver(message(context={"id": ""})),
    "context without id": deliver(message(context={"from": payloads.GUEST})),
    "context as a string": deliver(message(context="wamid.out.1")),
    "voice as a string": deliver(message("audio", audio={"id": "1", "voice": "true"})),
    "voice as 1": deliver(message("audio", audio={"id": "1", "voice": 1})),
    "media id as a number": deliver(message("image", image={"id": 1479537139650973})),
    "latitude as a string": deliver(message("location", location={"latitude": "40.4", "longitude": 3})),
    "latitude as an int": deliver(message("location", location={"latitude": 40, "longitude": -3})),
    "latitude of 91": deliver(message("location", location={"latitude": 91.0})),
    "latitude NaN": deliver(message("location", location={"latitude": float("nan")})),
    "latitude true": deliver(message("location", location={"latitude": True})),
    "nested too deeply": deliver(message(extra=nested(40))),
    "nested 30 deep": deliver(message(extra=nested(30))),
    "extra unknown fields": deliver(message(referral={"source_url": "https://x"}, identity={"hash": 1})),
    # statuses
    "status of 33": deliver(statuses=[status(status="s" * 33)]),
    "empty recipient": deliver(statuses=[status(recipient_id="")]),
    "missing recipient": deliver(statuses=[status(recipient_id=DROP)]),
    "error code as a string": deliver(statuses=[status("failed", errors=[{"code": "131047"}])]),
    "error code as a float": deliver(statuses=[status("failed", errors=[{"code": 131047.0}])]),
    "error code as a bool": deliver(statuses=[status("failed", errors=[{"code": True}])]),
    "huge error code": deliver(statuses=[status("failed", errors=[{"code": 10**30}])]),
    "errors as an object": deliver(statuses=[status("failed", errors={"code": 1})]),
    "null errors": deliver(statuses=[status("failed", errors=None)]),
    "null error": deliver(statuses=[status("failed", errors=[None])]),
    "NUL in an error": deliver(statuses=[status("failed", errors=[{"message": "no\x00pe"}])]),
    # contacts, metadata, value
    "contact without wa_id": value(contacts=[{"profile": {"name": "Ana"}}]),
    "empty wa_id": value(contacts=[{"wa_id": ""}]),
    "contact name as a number": value(contacts=[{"profile": {"name": 7}}]),
    "contact as a string": value(contacts=[payloads.GUEST]),
    "missing metadata": payloads.delivery({"field": "messages", "value": {"messages": [message()]}}),
    "null metadata": value(metadata=None),
    "numeric phone_number_id": value(metadata={"phone_number_id": int(NUMBER)}),
    "messages as an object": value(messages=message()),
    "null messages": value(messages=None),
    "empty lists": value(contacts=[], messages=[], statuses=[]),
    "value errors": value(errors=[{"code": 130429, "title": "Rate limit hit"}]),
    "value errors as an object": value(errors={"code": 130429}),
    # the envelope
    "object wrong": edited(deliver(message()), object="page"),
    "object missing": edited(deliver(message()), object=DROP),
    "object a number": edited(deliver(message()), object=1),
    "entry not a list": edited(deliver(message()), entry={"changes": []}),
    "entry missing": edited(deliver(message()), entry=DROP),
    "entry empty": edited(deliver(message()), entry=[]),
    "entry of null": edited(deliver(message()), entry=[None]),
    "changes null": edited(deliver(message()), entry=[{"changes": None}]),
    "changes an object": edited(deliver(message()), entry=[{"changes": {}}]),
    "change a list": changes([]),
    "field missing": changes({"value": {}}),
    "field empty": changes({"field": "", "value": {}}),
    "field a number": changes({"field": 1, "value": {}}),
    "field with NUL": changes({"field": "a\x00", "value": {}}),
    "field with a tab": changes({"field": "a\tb", "value": {}}),
    "value a list": changes({"field": "account_update", "value": []}),
    "value null": changes({"field": "account_update", "value": None}),
    "value empty": changes({"field": "account_update", "value": {}}),
    "value with int keys": changes({"field": "x", "value": {1: "a"}}),
    "not an object": ["whatsapp_business_account"],
    "null": None,
    "a string": "whatsapp_business_account",
}


@pytest.mark.parametrize("payload", EDGES.values(), ids=EDGES.keys())
def test_an_edge_case_gets_the_trees_value_or_goes_to_the_tree(payload):
    assert_same_or_deferred(payload)


@pytest.mark.parametrize("name", [
    "id of 255", "emoji in id", "NUL in text", "surrogate in text", "control characters in text",
    "emoji text", "empty text", "missing body", "int timestamp", "one", "leading zeros", "MAX_EPOCH - 1",
    "int MAX_EPOCH - 1", "missing type", "reply without id", "reply with an empty id", "empty interactive",
    "flow reply", "latitude as an int", "extra unknown fields", "missing recipient", "NUL in an error",
    "NUL in a key", "empty lists", "value errors", "entry empty", "value empty", "value with int keys",
])
def test_accepted_edges_still_take_the_fast_path(name):
    assert assert_same_or_deferred(EDGES[name]) == "handled"


# Hypothesis: a real delivery with one to three slots replaced, removed or added.
unstorable = st.sampled_from(["\x00", "\ud800", "\udfff", "\x1f", "\x7f", "\t"])
text = st.text(st.one_of(st.characters(), unstorable), max_size=8)
leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), text,
    st.sampled_from(["", "0", "-1", "1.5", str(MAX_EPOCH), str(MAX_EPOCH - 1), "17000000000", str(NOW), 0,
                     NOW, MAX_EPOCH - 1, "whatsapp_business_account", "messages", "text", LONG, LONG + "x"]),
)
junk = st.recursive(
    leaves, lambda inner: st.lists(inner, max_size=2) | st.dictionaries(text, inner, max_size=2), max_leaves=4
)
BASES = list(COMMON.values())


def slots(obj):
    """Every (container, key) in a payload, at any depth: each a slot to mutate."""
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    for key, value in items:
        yield obj, key
        yield from slots(value)


@st.composite
def mutated(draw) -> dict:
    payload = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 3))):
        places = list(slots(payload))
        if not places:
            break
        container, key = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["replace", "replace", "remove", "add"]))
        if action == "replace":
            container[key] = draw(junk)
        elif action == "remove":
            del container[key]
        elif isinstance(container, dict):
            container[draw(text)] = draw(junk)
        else:
            container.append(draw(junk))
    return payload


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=mutated())
def test_a_mutated_delivery_gets_the_trees_value_or_goes_to_the_tree(payload):
    event(assert_same_or_deferred(payload))  # --hypothesis-show-statistics: all three outcomes occur


def outcome(payload):
    """message_values as it was before the fast path: the tree alone."""
    try:
        envelope = _ENVELOPE.run_validation(copy.deepcopy(payload))
    except ValidationError as exc:
        return exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    return [(f"entry[{e}].changes[{c}]", change["value"]) for e, entry in enumerate(envelope["entry"])
            for c, change in enumerate(entry["changes"]) if change["field"] == "messages"]


@pytest.mark.parametrize("name", ["object wrong", "entry missing", "entry of null", "missing metadata",
                                  "value null", "not an object", "null"])
def test_a_refused_delivery_is_refused_by_the_tree_in_its_words(name):
    with pytest.raises(MalformedPayload) as refused:
        message_values(EDGES[name])

    assert refused.value.detail == outcome(EDGES[name])


def test_a_wrong_object_is_still_refused_as_before():
    with pytest.raises(MalformedPayload) as refused:
        message_values(EDGES["object wrong"])

    assert refused.value.detail == {"object": ["Not a WhatsApp Business Account notification."]}


@pytest.mark.parametrize("name", ["NUL in id", "surrogate in id", "id of 256", "null timestamp",
                                  "empty wa_id", "null error", "nested too deeply"])
def test_a_message_set_aside_is_set_aside_by_the_tree_as_before(name):
    values = message_values(EDGES[name])

    assert values == outcome(EDGES[name])
    assert any(isinstance(items, Items) and items.rejected for _, value in values for items in value.values())


def test_what_meta_sends_gives_message_values_what_it_gave_before():
    for payload in COMMON.values():
        assert message_values(copy.deepcopy(payload)) == outcome(payload)
