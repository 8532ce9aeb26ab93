"""Logs of a day's traffic, every logger at DEBUG through the production JSON
formatter, name no guest, repeat nothing a guest said and hold no secret."""
import json

import pytest

from tests.webhooks import payloads

from . import traffic

pytestmark = pytest.mark.django_db


def test_no_log_line_holds_guest_data_or_secrets(client, hotel_sol, graph_api, spans, json_logs):
    said = traffic.book_over_whatsapp(client, graph_api, hotel_sol)
    api_key = traffic.book_through_the_api(client, hotel_sol)
    token = traffic.open_guest_link(client)
    graph_api.answer(400, {"error": {"message": "(#100) Invalid parameter", "code": 100, "error_data": {
        "details": f"to: +{payloads.GUEST} is not a valid WhatsApp user"}}})
    traffic.Guest(client, graph_api).says("¿y el desayuno?")  # Meta refuses the reply
    client.get(f"/r/{token}x/")  # a guest link that does not open: Django logs "Not Found: <path>"

    text = json_logs.getvalue()
    forbidden = traffic.secrets_and_guest_data([*said, "¿y el desayuno?"], api_key, token)
    assert [value for value in forbidden if value.casefold() in text.casefold()] == []
    lines = [json.loads(line) for line in text.splitlines()]
    assert any(line["message"].endswith("failed for good: HTTP 400, Meta code 100") for line in lines)
    assert any(line["logger"] == "django.request" for line in lines)


def test_each_line_of_a_guest_message_names_its_request_hotel_task_and_trace(
        client, hotel_sol, graph_api, spans, json_logs):
    response = payloads.post(client, payloads.delivery(payloads.change(
        payloads.SOL_NUMBER_ID, messages=[payloads.text("wamid.logs.1", "Hola")])))

    lines = [json.loads(line) for line in json_logs.getvalue().splitlines()]
    sent = next(line for line in lines if line["logger"] == "celery.app.trace"
                and "send_outbound_message" in line["message"])
    assert sent["request_id"] == response["X-Request-ID"]
    assert sent["tenant"] == "hotel-sol"
    assert sent["task_name"] == "webhooks.tasks.send_outbound_message"
    assert len(sent["trace_id"]) == 32 and len(sent["span_id"]) == 16
    assert {line.get("request_id") for line in lines if line["logger"] != "django.db.backends"} == {
        response["X-Request-ID"]}
