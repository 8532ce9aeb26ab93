"""The optional language-model reading: off by default, both structured-output
styles, the API key from the secret store, and nothing the model says trusted
unchecked. Against a real local HTTP server (tests/agent/llm_server.py)."""
import datetime
import logging
import socket

import pytest
from prometheus_client import REGISTRY

from security.secret_store import secret_create
from tests.agent.llm_server import serve_llm
from webhooks.agent.understanding.llm import API_KEY_SECRET, LLMReading, is_enabled, llm_reading

TODAY = datetime.date(2026, 3, 10)
ROOMS = ("standard", "deluxe", "suite")
GUEST_TEXT = (
    "hola kiero reservar la suit del 5 al 8 d abril xa 2 adultos y 1 niño, soy Ana Lopez ana.lopez@gmail.com"
)


@pytest.fixture
def llm_server(settings):
    yield from serve_llm(settings)


def read(text: str = GUEST_TEXT, **overrides) -> LLMReading | None:
    arguments = {"language": "es", "today": TODAY, "state": "collecting_dates", "room_codes": ROOMS,
                 "expecting": "check_in", **overrides}
    return llm_reading(text, **arguments)


def count(outcome: str) -> float:
    return REGISTRY.get_sample_value("hotelagent_agent_llm_requests_total", {"outcome": outcome}) or 0.0


FULL_ANSWER = {
    "intent": "book", "check_in": "2026-04-05", "check_out": "2026-04-08", "nights": 3, "adults": 2,
    "children": 1, "room": "suite", "name": "Ana Lopez", "email": "ana.lopez@gmail.com", "phone": None,
    "topic": None, "language": "es",
}
FULL_READING = LLMReading(
    intent="book", check_in=datetime.date(2026, 4, 5), check_out=datetime.date(2026, 4, 8), nights=3,
    adults=2, children=1, room="suite", name="Ana Lopez", email="ana.lopez@gmail.com", language="es",
)


# --- Off by default -----------------------------------------------------------

@pytest.mark.parametrize("configure", ["unset", "empty", "blank"])
def test_disabled_by_default_asks_nobody(settings, llm_server, configure):
    if configure == "unset":
        del settings.AGENT_LLM_BASE_URL
    else:
        settings.AGENT_LLM_BASE_URL = "" if configure == "empty" else "   "
    before = count("disabled")

    assert not is_enabled()
    assert read() is None
    assert llm_server.requests == []
    assert count("disabled") == before + 1


def test_enabled_with_a_base_url(llm_server):
    assert is_enabled()


# --- The two request styles ---------------------------------------------------

@pytest.mark.django_db
def test_json_schema_style_is_parsed(llm_server):
    llm_server.answer_content(FULL_ANSWER)

    assert read() == FULL_READING
    body = llm_server.requests[0]["json"]
    assert body["response_format"]["type"] == "json_schema"
    schema = body["response_format"]["json_schema"]["schema"]
    assert set(schema["properties"]) == set(FULL_ANSWER)
    assert schema["properties"]["room"]["enum"] == [*ROOMS, None]
    assert "tools" not in body and "tool_choice" not in body


@pytest.mark.django_db
def test_tools_style_is_parsed(settings, llm_server):
    settings.AGENT_LLM_OUTPUT = "tools"
    llm_server.answer_tool_call(FULL_ANSWER)

    assert read() == FULL_READING
    body = llm_server.requests[0]["json"]
    assert [tool["function"]["name"] for tool in body["tools"]] == ["read_message"]
    assert body["tools"][0]["type"] == "function"
    assert set(body["tools"][0]["function"]["parameters"]["properties"]) == set(FULL_ANSWER)
    assert body["tool_choice"] == {"type": "function", "function": {"name": "read_message"}}
    assert "response_format" not in body


@pytest.mark.django_db
def test_a_tool_call_is_read_even_when_json_schema_was_asked(llm_server):
    """Some servers answer structured output with a tool call whatever was asked."""
    llm_server.answer_tool_call({"intent": "price", "room": "deluxe", "language": "es"})

    reading = read("cuanto cuesta la d lujo x noche??")

    assert reading == LLMReading(intent="price", room="deluxe", language="es")


@pytest.mark.django_db
def test_content_in_a_json_fence_is_read(llm_server):
    llm_server.answer_content('```json\n{"intent": "thanks", "language": "en"}\n```')

    assert read("thx a lot!!") == LLMReading(intent="thanks", language="en")


@pytest.mark.django_db
def test_the_request_carries_model_prompt_and_guest_text(llm_server):
    llm_server.answer_content({"intent": "availability", "adults": 2, "language": "en"})

    reading = read("hi do u have rooms next wkend for 2 ppl", language="en", expecting="dates")

    assert reading == LLMReading(intent="availability", adults=2, language="en")
    request = llm_server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    body = request["json"]
    assert body["model"] == "hotel-reader-test"
    assert body["temperature"] == 0
    system, user = body["messages"]
    assert system["role"] == "system"
    assert user == {"role": "user", "content": "hi do u have rooms next wkend for 2 ppl"}
    for needed in ("2026-03-10", "standard, deluxe, suite", "dates", "collecting_dates"):
        assert needed in system["content"]


@pytest.mark.django_db
def test_a_trailing_slash_in_the_base_url_is_fine(settings, llm_server):
    settings.AGENT_LLM_BASE_URL = llm_server.base_url + "/"

    assert read("gracias!!") == LLMReading()
    assert llm_server.requests[0]["path"] == "/v1/chat/completions"


# --- The API key --------------------------------------------------------------

@pytest.mark.django_db
def test_the_api_key_from_the_secret_store_is_sent(llm_server):
    secret_create(API_KEY_SECRET, value="sk-local-test-key")

    read("hola")

    assert llm_server.requests[0]["authorization"] == "Bearer sk-local-test-key"


@pytest.mark.django_db
def test_no_secret_no_authorization_header(llm_server):
    assert read("hola") == LLMReading()
    assert llm_server.requests[0]["authorization"] is None


# --- Nothing the model says is trusted unchecked --------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("answer, expected", [
    ({"room": "penthouse", "intent": "book"}, LLMReading(intent="book")),
    ({"room": "SUITE"}, LLMReading(room="suite")),
    ({"check_in": "2026-03-01", "check_out": "2026-04-08"}, LLMReading(check_out=datetime.date(2026, 4, 8))),
    ({"check_in": "2026-03-10"}, LLMReading(check_in=TODAY)),
    ({"check_in": "5 de abril", "check_out": "2026-02-30"}, LLMReading()),
    ({"check_in": "2026-04-08", "check_out": "2026-04-05"}, LLMReading(check_in=datetime.date(2026, 4, 8))),
    ({"adults": 99, "children": 2}, LLMReading(children=2)),
    ({"adults": 0, "children": -1, "nights": 0}, LLMReading()),
    ({"adults": "2", "nights": 3.0}, LLMReading(adults=2, nights=3)),
    ({"adults": True, "nights": 2.5}, LLMReading()),
    ({"email": "ana.lopez@@gmail", "phone": "612 345 678"}, LLMReading(phone="612 345 678")),
    ({"email": "Ana.Lopez@Gmail.com"}, LLMReading(email="ana.lopez@gmail.com")),
    ({"phone": "llamame"}, LLMReading()),
    ({"phone": "+34 612-345-678"}, LLMReading(phone="+34 612-345-678")),
    ({"intent": "buy", "language": "fr"}, LLMReading()),
    ({"intent": "Cancel", "language": "EN"}, LLMReading(intent="cancel", language="en")),
    ({"name": "Ana Lopez 612345678"}, LLMReading()),
    ({"name": "  jose   maria  "}, LLMReading(name="jose maria")),
    ({"topic": "Check in out"}, LLMReading(topic="check_in_out")),
    ({"topic": "'; drop table"}, LLMReading()),
    ({"intent": "hotel_info", "topic": "parking", "extra": "ignored"},
     LLMReading(intent="hotel_info", topic="parking")),
    ({"room": ["suite"], "name": {"first": "Ana"}, "check_in": 20260405}, LLMReading()),
])
def test_invalid_fields_are_dropped(llm_server, answer, expected):
    llm_server.answer_content(answer)

    assert read() == expected


# --- Failures cost a None, a count and one warning ------------------------------

def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@pytest.mark.django_db
@pytest.mark.parametrize("failure, outcome", [
    (lambda fake: fake.answer_slowly(2, {"intent": "book"}), "timeout"),
    (lambda fake: fake.answer_status(500), "error"),
    (lambda fake: fake.answer_status(401), "error"),
    (lambda fake: fake.answer_garbage(), "invalid"),
    (lambda fake: fake.answer_json({"object": "chat.completion", "choices": []}), "invalid"),
    (lambda fake: fake.answer_content("Sure! The guest wants to book a suite."), "invalid"),
    (lambda fake: fake.answer_content('["book", "suite"]'), "invalid"),
    (lambda fake: fake.answer_json({"choices": [{"message": {"role": "assistant", "content": None}}]}),
     "invalid"),
], ids=["timeout", "500", "401", "garbage", "no-choices", "prose", "json-array", "null-content"])
def test_failures_give_none_and_are_counted(llm_server, caplog, failure, outcome):
    failure(llm_server)
    before = count(outcome)

    with caplog.at_level(logging.DEBUG):
        assert read() is None

    assert count(outcome) == before + 1
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1


@pytest.mark.django_db
def test_a_server_that_is_down_is_an_error(settings, caplog):
    settings.AGENT_LLM_BASE_URL = _closed_port_url()
    before = count("error")

    with caplog.at_level(logging.DEBUG):
        assert read() is None

    assert count("error") == before + 1
    assert [record.levelno for record in caplog.records].count(logging.WARNING) == 1


@pytest.mark.django_db
def test_an_ok_answer_is_counted(llm_server):
    llm_server.answer_content(FULL_ANSWER)
    before = count("ok")

    read()

    assert count("ok") == before + 1


# --- Guest text never reaches a log --------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("answer", [
    lambda fake: fake.answer_content({**FULL_ANSWER, "email": "ana.lopez@@gmail", "room": "penthouse"}),
    lambda fake: fake.answer_slowly(2),
    lambda fake: fake.answer_status(500),
    lambda fake: fake.answer_garbage(GUEST_TEXT.encode()),
    lambda fake: fake.answer_content(f"the guest said: {GUEST_TEXT}"),
], ids=["dropped-fields", "timeout", "500", "garbage-echo", "prose-echo"])
def test_guest_text_is_never_logged(llm_server, caplog, answer):
    answer(llm_server)

    with caplog.at_level(logging.DEBUG):
        read()

    assert caplog.records, "the outcome should leave a trace"
    for secret in (GUEST_TEXT, "Ana Lopez", "ana.lopez", "kiero", "penthouse"):
        assert secret not in caplog.text
