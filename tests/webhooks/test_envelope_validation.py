"""A signed delivery is checked against the Cloud API envelope before anything
reads it. One that does not fit is refused whole (400, nothing stored, audited);
one bad message, status or contact is left out and the rest is stored."""
import copy
import json

import pytest
from django_scopes import scopes_disabled

from security.models import AuditEvent
from webhooks.models import InboundMessage

from . import payloads

pytestmark = pytest.mark.django_db

VALUE = ("entry", 0, "changes", 0, "value")
BAD_MESSAGE = (*VALUE, "messages", 1)
BAD_STATUS = (*VALUE, "statuses", 1)
CONTACT = (*VALUE, "contacts", 0)
MISSING = object()
LITERAL = "@literal@"

NOT_AN_OBJECT = ["x", 1, True, None, []]
NOT_A_LIST = [{}, "x", 1, True, None]
NOT_A_STRING = [1, 1.5, True, None, {}, []]
NOT_AN_ID = [*NOT_A_STRING, "", MISSING]
ABSURD_TIMESTAMPS = [
    "99999999999999999999", 10**20, "4102444800", "-1", -1, "0", "abc", "", "1700000000.5", 1700000000.5,
    "1e9", " 1700000000", "1700000000\n", "١٧٠٠٠٠٠٠٠٠", True, None, {}, [], MISSING,
]


def delivery() -> dict:
    """Two guest messages and two statuses on Hotel Sol's number; cases break the second of each."""
    now = 1767225600
    return payloads.delivery(payloads.change(
        payloads.SOL_NUMBER_ID,
        messages=[payloads.text("wamid.good", "Hola"), payloads.text("wamid.bad", "¿Hay sitio?")],
        statuses=[payloads.status("wamid.out.1", "delivered", timestamp=now),
                  payloads.status("wamid.out.2", "read", timestamp=now)],
    ))


def with_value(payload: dict, path: tuple, value) -> dict:
    """`payload` with `value` at `path` (MISSING removes the key), objects created on the way."""
    payload = copy.deepcopy(payload)
    node = payload
    for step in path[:-1]:
        node = node.setdefault(step, {}) if isinstance(node, dict) else node[step]
    if value is MISSING:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value
    return payload


def post(meta, payload: dict, literal: str | None = None):
    """Signed and posted; `literal` replaces the string "@literal@" with raw JSON such as 1e400."""
    body = json.dumps(payload)
    if literal is not None:
        body = body.replace(json.dumps(LITERAL), literal)
    return payloads.post(meta, body.encode(), REMOTE_ADDR="203.0.113.20")


def cases(paths, values):
    return [pytest.param(path, value, id=f"{'.'.join(map(str, path[-2:]))}={value!r:.20}")
            for path in paths for value in values]


ENVELOPE_CASES = [
    *cases([("entry", 0), ("entry", 0, "changes", 0), VALUE, (*VALUE, "metadata")], NOT_AN_OBJECT),
    *cases([("entry",), ("entry", 0, "changes"), (*VALUE, "messages"), (*VALUE, "contacts"),
            (*VALUE, "statuses"), (*VALUE, "errors")], NOT_A_LIST),
    *cases([("object",), ("entry", 0, "changes", 0, "field"), (*VALUE, "metadata", "phone_number_id")],
           NOT_AN_ID),
    *cases([(*VALUE, "errors")], [["x"], [{"code": "abc"}], [{"message": 1}], [{"error_data": "x"}]]),
    *cases([("object",)], ["page", "instagram"]),
    *cases([("entry",), (*VALUE, "metadata")], [MISSING]),
    *cases([(*VALUE, "metadata", "phone_number_id")], ["1" * 129, "100\n", "100\x7f"]),
]


@pytest.mark.parametrize("path, wrong", ENVELOPE_CASES)
def test_a_delivery_that_does_not_fit_the_envelope_is_refused_whole(
    meta, hotel_sol, no_processing, stored_ids, suspicious_actions, path, wrong
):
    response = post(meta, with_value(delivery(), path, wrong))

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_payload"
    assert isinstance(response.json()["detail"], dict)
    assert stored_ids() == []
    assert suspicious_actions() == ["webhook_payload_invalid"]


def test_the_refusal_says_which_field_is_wrong(meta, hotel_sol, no_processing):
    response = post(meta, with_value(delivery(), (*VALUE, "metadata"), "x"))

    assert response.json()["detail"] == {"entry": [{"changes": [{"value": {"metadata": {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got str."]}}}]}]}


def test_the_refusal_is_audited_with_the_address_and_the_errors(meta, hotel_sol, no_processing):
    post(meta, with_value(delivery(), (*VALUE, "messages"), {}))

    with scopes_disabled():
        [event] = AuditEvent.objects.filter(action="webhook_payload_invalid")
    assert event.ip_address == "203.0.113.20"
    assert event.details["errors"]["entry"][0]["changes"][0]["value"]["messages"]


MESSAGE_CASES = [
    *cases([BAD_MESSAGE], [*NOT_AN_OBJECT, {}]),
    *cases([(*BAD_MESSAGE, "id"), (*BAD_MESSAGE, "from")], [*NOT_AN_ID, "x" * 256]),
    *cases([(*BAD_MESSAGE, "type")], [1, True, None, {}, [], "", "x" * 33]),
    *cases([(*BAD_MESSAGE, "timestamp")], ABSURD_TIMESTAMPS),
    *cases([(*BAD_MESSAGE, "text"), (*BAD_MESSAGE, "context"), (*BAD_MESSAGE, "interactive"),
            (*BAD_MESSAGE, "interactive", "button_reply"), (*BAD_MESSAGE, "interactive", "list_reply"),
            (*BAD_MESSAGE, "button")], NOT_AN_OBJECT),
    *cases([(*BAD_MESSAGE, "text", "body"), (*BAD_MESSAGE, "interactive", "button_reply", "title"),
            (*BAD_MESSAGE, "interactive", "list_reply", "title"), (*BAD_MESSAGE, "button", "text")],
           NOT_A_STRING),
    *cases([(*BAD_MESSAGE, "context", "id")], [1, True, {}, [], "x" * 256]),
]


@pytest.mark.parametrize("path, wrong", MESSAGE_CASES)
def test_a_bad_message_is_left_out_and_the_others_stored(meta, hotel_sol, no_processing, stored_ids,
                                                        suspicious_actions, path, wrong):
    response = post(meta, with_value(delivery(), path, wrong))

    assert response.status_code == 200
    assert response.json() == {"received": 1, "stored": 1, "statuses": 2, "dropped": 1}
    assert stored_ids() == ["wamid.good"]
    assert suspicious_actions() == ["webhook_items_invalid"]


def test_a_dropped_message_is_audited_with_where_it_was_and_why(meta, hotel_sol, no_processing):
    post(meta, with_value(delivery(), (*BAD_MESSAGE, "timestamp"), "-1"))

    with scopes_disabled():
        [event] = AuditEvent.objects.filter(action="webhook_items_invalid")
    assert event.ip_address == "203.0.113.20"
    assert event.details == {"count": 1, "dropped": [{
        "kind": "message", "where": "entry[0].changes[0].value.messages[1]",
        "errors": {"timestamp": ["Not a Unix time in seconds between 1970 and 2100."]},
    }]}


STATUS_CASES = [
    *cases([BAD_STATUS], [*NOT_AN_OBJECT, {}]),
    *cases([(*BAD_STATUS, "id"), (*BAD_STATUS, "status")], NOT_AN_ID),
    *cases([(*BAD_STATUS, "timestamp")], ABSURD_TIMESTAMPS),
    *cases([(*BAD_STATUS, "recipient_id")], [1, True, None, {}, []]),
    *cases([(*BAD_STATUS, "errors")], [*NOT_A_LIST, ["x"], [{"code": "abc"}], [{"code": True}],
                                       [{"message": 1}], [{"title": []}], [{"error_data": "x"}],
                                       [{"error_data": {"details": 5}}]]),
]


@pytest.mark.parametrize("path, wrong", STATUS_CASES)
def test_a_bad_status_is_left_out_and_the_rest_kept(meta, hotel_sol, no_processing, stored_ids,
                                                   suspicious_actions, path, wrong):
    response = post(meta, with_value(delivery(), path, wrong))

    assert response.status_code == 200
    assert response.json() == {"received": 2, "stored": 2, "statuses": 1, "dropped": 1}
    assert stored_ids() == ["wamid.bad", "wamid.good"]
    assert suspicious_actions() == ["webhook_items_invalid"]


@pytest.mark.parametrize("path, wrong", [
    *cases([CONTACT], NOT_AN_OBJECT),
    *cases([(*CONTACT, "profile")], NOT_AN_OBJECT),
    *cases([(*CONTACT, "profile", "name"), (*CONTACT, "wa_id")], NOT_A_STRING),
])
def test_a_bad_contact_costs_only_the_senders_name(meta, hotel_sol, no_processing, stored_ids, path, wrong):
    response = post(meta, with_value(delivery(), path, wrong))

    assert response.status_code == 200
    assert stored_ids() == ["wamid.bad", "wamid.good"]
    with scopes_disabled():
        assert set(InboundMessage.objects.values_list("sender_name", flat=True)) == {""}


@pytest.mark.parametrize("literal", ["1e400", "-1e400", "NaN", "Infinity", "1.5e9", "-5", "17000000000000"])
def test_a_timestamp_no_json_encoder_writes_is_refused_with_its_message(meta, hotel_sol, no_processing,
                                                                       stored_ids, literal):
    response = post(meta, with_value(delivery(), (*BAD_MESSAGE, "timestamp"), LITERAL), literal)

    assert response.status_code == 200
    assert stored_ids() == ["wamid.good"]


def test_a_number_too_long_to_read_refuses_the_delivery(meta, hotel_sol, no_processing, stored_ids):
    response = post(meta, with_value(delivery(), (*BAD_MESSAGE, "timestamp"), LITERAL), "9" * 5000)

    assert response.status_code == 400
    assert stored_ids() == []


def test_nesting_past_the_stack_is_refused(meta, hotel_sol, no_processing, stored_ids):
    deep = "[" * 100_000 + "]" * 100_000

    response = post(meta, with_value(delivery(), (*BAD_MESSAGE, "deep"), LITERAL), deep)

    assert response.status_code == 400
    assert stored_ids() == []


def test_deep_nesting_in_a_field_we_do_not_read_costs_only_its_message(meta, hotel_sol, no_processing,
                                                                      stored_ids):
    response = post(meta, with_value(delivery(), (*BAD_MESSAGE, "deep"), LITERAL), "[" * 200 + "]" * 200)

    assert response.status_code == 200
    assert stored_ids() == ["wamid.good"]


@pytest.mark.parametrize("timestamp", ["1700000000", 1700000000, "1", "4102444799"])
def test_epoch_seconds_as_text_or_integer_are_read(meta, hotel_sol, no_processing, stored_ids, timestamp):
    response = post(meta, with_value(delivery(), (*BAD_MESSAGE, "timestamp"), timestamp))

    assert response.status_code == 200
    assert stored_ids() == ["wamid.bad", "wamid.good"]


MEDIA = {"mime_type": "image/jpeg", "sha256": "a3f5", "id": "1479537139650973"}
UNKNOWN_TYPE = {"code": 131051, "title": "Message type unknown", "message": "Message type unknown",
                "error_data": {"details": "Message type is not supported"}}


@pytest.mark.parametrize("extra", [
    pytest.param({"type": "image", "image": {**MEDIA, "caption": "la habitación"}}, id="image"),
    pytest.param({"type": "audio", "audio": {**MEDIA, "voice": True}}, id="audio"),
    pytest.param({"type": "location", "location": {"latitude": 40.4, "longitude": -3.7, "name": "Sol"}},
                 id="location"),
    pytest.param({"type": "reaction", "reaction": {"message_id": "wamid.out.1", "emoji": "👍"}},
                 id="reaction"),
    pytest.param({"type": "unsupported", "errors": [UNKNOWN_TYPE]}, id="unsupported"),
    pytest.param({"type": "system", "system": {"body": "User changed number", "wa_id": "34612345679",
                                               "type": "user_changed_number"}}, id="system"),
    pytest.param({"type": "interactive", "interactive": {
        "type": "list_reply", "list_reply": {"id": "r1", "title": "Doble", "description": "2 personas"}}},
        id="list_reply"),
    pytest.param({"type": "button", "button": {"payload": "YES", "text": "Sí"}}, id="button"),
    pytest.param({"context": {"from": "34910000001", "id": "wamid.out.1", "forwarded": True}}, id="context"),
    pytest.param({"referral": {"source_url": "https://fb.me/x", "source_type": "ad"},
                  "future": [1, {"a": None}]}, id="unknown-fields"),
])
def test_what_meta_legitimately_sends_is_stored(meta, hotel_sol, no_processing, stored_ids, extra):
    payload = delivery()
    message = payload["entry"][0]["changes"][0]["value"]["messages"][1]
    message.pop("text")
    message.update(extra)

    response = post(meta, payload)

    assert response.status_code == 200
    assert stored_ids() == ["wamid.bad", "wamid.good"]


def test_a_delivery_without_contacts_is_stored(meta, hotel_sol, no_processing, stored_ids):
    response = post(meta, with_value(delivery(), (*VALUE, "contacts"), MISSING))

    assert response.status_code == 200
    assert stored_ids() == ["wamid.bad", "wamid.good"]


def test_changes_of_other_fields_are_accepted_and_ignored(meta, hotel_sol, no_processing, stored_ids):
    payload = delivery()
    payload["entry"].append({"id": "1", "changes": [{"field": "message_template_status_update", "value": {
        "event": "APPROVED", "message_template_id": 1, "message_template_name": "hello"}}]})

    response = post(meta, payload)

    assert response.status_code == 200
    assert stored_ids() == ["wamid.bad", "wamid.good"]


def test_statuses_with_errors_pricing_and_conversation_are_read(meta, hotel_sol, no_processing):
    errors = [{"code": 131047, "title": "Re-engagement message", "message": "Re-engagement message",
               "error_data": {"details": "More than 24 hours have passed"},
               "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}]
    payload = with_value(delivery(), (*BAD_STATUS, "errors"), errors)
    payload = with_value(payload, (*BAD_STATUS, "biz_opaque_callback_data"), "ref-1")

    response = post(meta, payload)

    assert response.json()["statuses"] == 2
    assert response.json()["dropped"] == 0
