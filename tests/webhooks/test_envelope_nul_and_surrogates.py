"""JSON's \\u escapes can carry NUL, which PostgreSQL refuses in text and JSONB,
and lone surrogates, which cannot be encoded to UTF-8. Free text loses the NUL
and shows U+FFFD for the surrogate; an identifier carrying either is refused:
its message or status is left out, or the whole delivery for the receiving number."""
import pytest
from django_scopes import scopes_disabled

from tests.factories import OutboundMessageFactory
from webhooks.models import InboundMessage, OutboundMessage

from . import payloads
from .test_envelope_validation import BAD_MESSAGE, BAD_STATUS, CONTACT, VALUE, delivery, post, with_value

pytestmark = pytest.mark.django_db

UNSTORABLE = [pytest.param("\x00", id="nul"), pytest.param("\ud800", id="surrogate"),
              pytest.param("\udfff\x00", id="both")]


def cleaned(text: str) -> str:
    return text.replace("\x00", "").replace("\ud800", "\ufffd").replace("\udfff", "\ufffd")


def stored(wamid: str) -> InboundMessage:
    with scopes_disabled():
        return InboundMessage.objects.get(external_id=wamid)


def interactive(reply: str, title: str) -> dict:
    return {"type": "interactive", "interactive": {reply: {"id": "r1", "title": title}}}


FREE_TEXT = [
    pytest.param(lambda c: {"text": {"body": f"Hola{c} mundo"}}, "Hola{} mundo", id="text-body"),
    pytest.param(lambda c: interactive("button_reply", f"Sí{c}"), "Sí{}", id="button-reply-title"),
    pytest.param(lambda c: interactive("list_reply", f"Doble{c}"), "Doble{}", id="list-reply-title"),
    pytest.param(lambda c: {"type": "button", "button": {"payload": "YES", "text": f"Vale{c}"}}, "Vale{}",
                 id="button-text"),
]


@pytest.mark.parametrize("char", UNSTORABLE)
@pytest.mark.parametrize("fields, text", FREE_TEXT)
def test_free_text_is_stored_without_what_the_database_refuses(meta, hotel_sol, no_processing, fields, text,
                                                              char):
    payload = delivery()
    payload["entry"][0]["changes"][0]["value"]["messages"][1].update(fields(char))

    assert post(meta, payload).status_code == 200

    assert stored("wamid.bad").text == cleaned(text.format(char))


@pytest.mark.parametrize("char", UNSTORABLE)
def test_the_profile_name_is_cleaned(meta, hotel_sol, no_processing, char):
    payload = with_value(delivery(), (*CONTACT, "profile", "name"), f"Ana{char} García")

    assert post(meta, payload).status_code == 200

    assert stored("wamid.good").sender_name == cleaned(f"Ana{char} García")


@pytest.mark.parametrize("char", UNSTORABLE)
def test_the_raw_payload_is_cleaned_at_any_depth_keys_included(meta, hotel_sol, no_processing, char):
    payload = delivery()
    message = payload["entry"][0]["changes"][0]["value"]["messages"][1]
    message.update({"type": "image", "image": {"id": "1", "caption": f"vista{char}"},
                    "future": [{f"k{char}": [f"v{char}"]}]})

    assert post(meta, payload).status_code == 200

    raw = stored("wamid.bad").payload
    assert raw["image"]["caption"] == cleaned(f"vista{char}")
    [(key, value)] = raw["future"][0].items()
    assert "\x00" not in key + value[0] and "\ud800" not in key + value[0]
    assert value == [cleaned(f"v{char}")]


def test_a_key_that_only_differs_by_nul_cannot_overwrite_the_real_one(meta, hotel_sol, no_processing):
    payload = delivery()
    message = payload["entry"][0]["changes"][0]["value"]["messages"][1]
    message["te\x00xt"] = {"body": "not what the guest wrote"}

    post(meta, payload)

    assert stored("wamid.bad").payload["text"] == {"body": "¿Hay sitio?"}


@pytest.mark.parametrize("char", UNSTORABLE)
@pytest.mark.parametrize("field", ["id", "from", "timestamp", "type"])
def test_a_message_whose_identifier_carries_it_is_left_out(meta, hotel_sol, no_processing, stored_ids,
                                                           suspicious_actions, field, char):
    payload = delivery()
    message = payload["entry"][0]["changes"][0]["value"]["messages"][1]
    message[field] = message[field][:3] + char + message[field][3:]

    response = post(meta, payload)

    assert response.status_code == 200
    assert stored_ids() == ["wamid.good"]
    assert suspicious_actions() == ["webhook_items_invalid"]


@pytest.mark.parametrize("char", UNSTORABLE)
def test_a_reply_to_id_carrying_it_leaves_the_message_out(meta, hotel_sol, no_processing, stored_ids, char):
    payload = with_value(delivery(), (*BAD_MESSAGE, "context"), {"from": "3491", "id": f"wamid.out{char}.1"})

    assert post(meta, payload).status_code == 200

    assert stored_ids() == ["wamid.good"]


@pytest.mark.parametrize("char", UNSTORABLE)
def test_a_receiving_number_carrying_it_refuses_the_delivery(meta, hotel_sol, no_processing, stored_ids,
                                                             suspicious_actions, char):
    payload = with_value(delivery(), (*VALUE, "metadata", "phone_number_id"), f"1000{char}00000000001")

    response = post(meta, payload)

    assert response.status_code == 400
    assert stored_ids() == []
    assert suspicious_actions() == ["webhook_payload_invalid"]


@pytest.mark.parametrize("char", UNSTORABLE)
def test_a_contact_id_carrying_it_costs_only_the_name(meta, hotel_sol, no_processing, stored_ids, char):
    payload = with_value(delivery(), (*CONTACT, "wa_id"), f"346{char}12345678")

    assert post(meta, payload).status_code == 200

    assert stored_ids() == ["wamid.bad", "wamid.good"]
    assert stored("wamid.good").sender_name == ""


@pytest.mark.parametrize("char", UNSTORABLE)
@pytest.mark.parametrize("field", ["id", "status", "timestamp", "recipient_id"])
def test_a_status_whose_identifier_carries_it_is_left_out(meta, hotel_sol, no_processing, field, char):
    payload = delivery()
    status = payload["entry"][0]["changes"][0]["value"]["statuses"][1]
    status[field] = status[field][:3] + char + status[field][3:]

    response = post(meta, payload)

    assert response.status_code == 200
    assert response.json()["statuses"] == 1
    assert response.json()["dropped"] == 1


@pytest.mark.parametrize("char", UNSTORABLE)
@pytest.mark.parametrize("field", ["title", "message", "details"])
def test_meta_error_text_is_kept_cleaned_on_a_failed_reply(meta, hotel_sol, no_processing, field, char):
    reply = OutboundMessageFactory(inbound__conversation__tenant=hotel_sol, external_id="wamid.out.2",
                                   account_external_id=payloads.SOL_NUMBER_ID)
    error = {"code": 131047, "title": "Re-engagement", "message": "Re-engagement",
             "error_data": {"details": "24 hours passed"}}
    holder = error["error_data"] if field == "details" else error
    holder[field] += char
    sent = holder[field]
    payload = with_value(delivery(), (*BAD_STATUS, "status"), "failed")
    payload = with_value(payload, (*BAD_STATUS, "errors"), [error])

    assert post(meta, payload).status_code == 200

    with scopes_disabled():
        reply = OutboundMessage.objects.get(pk=reply.pk)
    assert reply.status == OutboundMessage.Status.FAILED
    [kept] = reply.error["errors"]
    text = kept["error_data"]["details"] if field == "details" else kept[field]
    assert text == cleaned(sent)
    assert kept["code"] == 131047


@pytest.mark.parametrize("char", UNSTORABLE)
def test_an_unread_field_carrying_it_changes_nothing(meta, hotel_sol, no_processing, stored_ids, char):
    payload = with_value(delivery(), (*VALUE, "metadata", "display_phone_number"), f"3491{char}")
    payload = with_value(payload, ("entry", 0, "id"), f"1022{char}")

    assert post(meta, payload).status_code == 200

    assert stored_ids() == ["wamid.bad", "wamid.good"]


@pytest.mark.parametrize("char", UNSTORABLE)
def test_the_refusal_itself_can_be_rendered_and_audited(meta, hotel_sol, no_processing, char):
    response = post(meta, with_value(delivery(), ("object",), f"whatsapp{char}"))

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_payload"
