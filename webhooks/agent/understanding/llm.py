"""A second opinion from a language model, for messages the rules are unsure of.

Off unless AGENT_LLM_BASE_URL names an OpenAI-compatible chat-completions API.
The model only *reads* the message into the fields below; the dialogue, the rules
and the booking stay deterministic, so whatever it says is validated here and a
field it got wrong is dropped rather than trusted. A model that is slow, down or
talking nonsense costs one WARNING and a `None`: the caller carries on with what
the rules read. Guest text never reaches a log, only lengths and status codes.

Settings (read with getattr so an unset one means its default):
  AGENT_LLM_BASE_URL         e.g. http://127.0.0.1:8080/v1; empty = off
  AGENT_LLM_MODEL            sent as `model`
  AGENT_LLM_TIMEOUT_SECONDS  default 4
  AGENT_LLM_OUTPUT           "json_schema" (response_format) or "tools" (a forced function call)
The API key is the secret "agent_llm_api_key" in the secret store; with none,
no Authorization header is sent (a local server needs none).
"""
import datetime
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import httpx
from django.conf import settings
from prometheus_client import Counter

from reservations.rules import MAX_NIGHTS

from .contact import EMAIL_RE

logger = logging.getLogger(__name__)

API_KEY_SECRET = "agent_llm_api_key"  # noqa: S105 - a name, not a secret
FUNCTION_NAME = "read_message"
JSON_SCHEMA, TOOLS = "json_schema", "tools"
DEFAULT_TIMEOUT_SECONDS = 4.0

INTENTS = (
    "book", "availability", "price", "cancel", "status", "hotel_info", "handoff",
    "confirm", "decline", "greeting", "thanks", "other",
)
LANGUAGES = ("es", "en")
MAX_PEOPLE = 20
MAX_TEXT_LENGTH = 150
# The FAQ's topic keys (faq.TOPICS, copied so this module does not depend on the
# matcher), suggested to the model; any short slug is accepted, the FAQ decides.
TOPICS = (
    "check_in_out", "late_checkout", "breakfast", "parking", "wifi", "pets", "payment", "cancellation",
    "phone", "address", "directions", "airport_transfer", "accessibility", "other",
)
_TOPIC_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
_PHONE_CHARS_RE = re.compile(r"\+?[\d\s().-]+")

OK, ERROR, TIMEOUT, INVALID, DISABLED = "ok", "error", "timeout", "invalid", "disabled"
requests_total = Counter(
    "hotelagent_agent_llm_requests_total",
    "Readings asked of the language model, by outcome",
    ["outcome"],  # ok | error | timeout | invalid | disabled
)


@dataclass(frozen=True)
class LLMReading:
    """What the model read in one message, every field already validated; None
    is "not said" or "said, but not believable"."""

    intent: str | None = None
    check_in: datetime.date | None = None
    check_out: datetime.date | None = None
    nights: int | None = None
    adults: int | None = None
    children: int | None = None
    room: str | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    topic: str | None = None
    language: str | None = None


def is_enabled() -> bool:
    return bool(_setting("AGENT_LLM_BASE_URL", "").strip())


def llm_reading(
    text: str,
    *,
    language: str,
    today: datetime.date,
    state: str,
    room_codes: Sequence[str],
    expecting: str | None = None,
) -> LLMReading | None:
    """The model's reading of `text`, or None when it is off or could not answer.
    Never raises: a reading is a hint, and a missing hint must not break a reply."""
    if not is_enabled():
        requests_total.labels(outcome=DISABLED).inc()
        return None
    try:
        return _ask(text, language=language, today=today, state=state, room_codes=tuple(room_codes),
                    expecting=expecting)
    except Exception as error:  # a bug here must cost a hint, not a reply
        requests_total.labels(outcome=ERROR).inc()
        logger.warning("LLM reading failed unexpectedly (%s)", type(error).__name__)
        return None


# --- The request ------------------------------------------------------------

def _setting(name: str, default):
    return getattr(settings, name, default)


def _ask(text, *, language, today, state, room_codes, expecting) -> LLMReading | None:
    url = _setting("AGENT_LLM_BASE_URL", "").strip().rstrip("/") + "/chat/completions"
    style = TOOLS if _setting("AGENT_LLM_OUTPUT", JSON_SCHEMA) == TOOLS else JSON_SCHEMA
    timeout = float(_setting("AGENT_LLM_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS) or DEFAULT_TIMEOUT_SECONDS)
    body = request_body(text, language=language, today=today, state=state, room_codes=room_codes,
                        expecting=expecting, style=style)
    headers = {"Content-Type": "application/json"}
    api_key = _api_key()
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    try:
        response = httpx.post(url, json=body, headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        return _failed(TIMEOUT, "LLM reading timed out after %ss (message of %d chars)", timeout, len(text))
    except httpx.HTTPError as error:
        return _failed(ERROR, "LLM reading failed: %s (message of %d chars)", type(error).__name__, len(text))
    if response.status_code != 200:
        return _failed(ERROR, "LLM reading failed: HTTP %d (message of %d chars)", response.status_code,
                       len(text))
    fields = _answer_fields(response)
    if fields is None:
        return _failed(INVALID, "LLM reading unreadable: HTTP 200 with %d bytes not in the expected shape",
                       len(response.content))
    reading, dropped = validate(fields, today=today, room_codes=room_codes)
    if dropped:
        logger.info("LLM reading: dropped invalid %s", ", ".join(dropped))
    requests_total.labels(outcome=OK).inc()
    return reading


def _failed(outcome: str, message: str, *args) -> None:
    requests_total.labels(outcome=outcome).inc()
    logger.warning(message, *args)
    return None


def _api_key() -> str | None:
    """The current key, if one was stored. `current_secret` would try to create a
    missing secret (and refuse, with ValueError, for a name it does not issue);
    `valid_secrets` just answers [] and writes nothing."""
    from security.secret_store import valid_secrets

    versions = valid_secrets(API_KEY_SECRET)
    return versions[0].value if versions else None


def request_body(
    text: str, *, language: str, today: datetime.date, state: str, room_codes: Sequence[str],
    expecting: str | None, style: str = JSON_SCHEMA,
) -> dict:
    """The chat-completions request, in one of the two structured-output styles."""
    schema = reading_schema(room_codes)
    body = {
        "model": _setting("AGENT_LLM_MODEL", ""),
        "messages": [
            {"role": "system", "content": system_prompt(
                language=language, today=today, state=state, room_codes=room_codes, expecting=expecting,
                style=style,
            )},
            {"role": "user", "content": text},
        ],
        "temperature": 0,
    }
    if style == TOOLS:
        body["tools"] = [{"type": "function", "function": {
            "name": FUNCTION_NAME,
            "description": "Record what the hotel guest's message says.",
            "parameters": schema,
        }}]
        body["tool_choice"] = {"type": "function", "function": {"name": FUNCTION_NAME}}
    else:
        body["response_format"] = {"type": "json_schema", "json_schema": {
            "name": FUNCTION_NAME, "strict": True, "schema": schema,
        }}
    return body


def system_prompt(
    *, language: str, today: datetime.date, state: str, room_codes: Sequence[str], expecting: str | None,
    style: str = JSON_SCHEMA,
) -> str:
    rooms = ", ".join(room_codes) or "(none)"
    answer = f"Call {FUNCTION_NAME} once" if style == TOOLS else "Answer with one JSON object"
    asked = expecting or "nothing in particular"
    return "\n".join([
        "You read WhatsApp messages that guests send to a hotel's booking assistant. You do not reply to "
        "the guest: you only record what the message says. Guests write in Spanish or English, often "
        "without accents, with typos and abbreviations.",
        f"Today is {today.isoformat()} ({today.strftime('%A')}). Write dates as YYYY-MM-DD and resolve "
        "relative ones (\"mañana\", \"next friday\", \"el 5\") from today; a date without a year is the "
        "next one to come.",
        f"The hotel's room codes are: {rooms}. Set room only to one of these codes.",
        f"The conversation is in state {state!r}; the assistant last asked for: {asked}. "
        "A bare answer (\"si\", \"2\", \"Ana Lopez\") answers that question.",
        f"The conversation language so far is {language!r}; set language to the one this message is "
        "written in.",
        f"intent is one of: {', '.join(INTENTS)}. adults and children are numbers of people; nights is "
        "the length of the stay. topic is what a hotel_info question is about, one of: "
        f"{', '.join(TOPICS)}.",
        f"Use null for anything the message does not say; never guess. {answer} with exactly the "
        "fields asked for.",
    ])


def reading_schema(room_codes: Sequence[str]) -> dict:
    """Every field present and nullable: what strict structured outputs require."""
    def nullable(kind: str, description: str, **extra) -> dict:
        return {"type": [kind, "null"], "description": description, **extra}

    properties = {
        "intent": nullable("string", "What the guest wants.", enum=[*INTENTS, None]),
        "check_in": nullable("string", "Arrival date, YYYY-MM-DD."),
        "check_out": nullable("string", "Departure date, YYYY-MM-DD."),
        "nights": nullable("integer", "Number of nights.", minimum=1, maximum=MAX_NIGHTS),
        "adults": nullable("integer", "Number of adults.", minimum=1, maximum=MAX_PEOPLE),
        "children": nullable("integer", "Number of children.", minimum=0, maximum=MAX_PEOPLE),
        "room": nullable("string", "One of the hotel's room codes.", enum=[*room_codes, None]),
        "name": nullable("string", "The guest's full name, as written."),
        "email": nullable("string", "Email address."),
        "phone": nullable("string", "Phone number, as written."),
        "topic": nullable("string", "What a hotel_info question is about, snake_case."),
        "language": nullable("string", "Language of this message.", enum=[*LANGUAGES, None]),
    }
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


# --- The answer -------------------------------------------------------------

def _answer_fields(response: httpx.Response) -> dict | None:
    """The fields from choices[0].message: its tool call's `arguments` when it
    made one (whichever style was asked), else its `content`; None when neither
    is a JSON object."""
    try:
        message = response.json()["choices"][0]["message"]
        tool_calls = message.get("tool_calls") or []
        raw = tool_calls[0]["function"]["arguments"] if tool_calls else message.get("content")
        fields = raw if isinstance(raw, dict) else json.loads(_without_fences(raw))
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None
    return fields if isinstance(fields, dict) else None


def _without_fences(raw: str) -> str:
    """Some local models wrap their JSON in a ```json fence even when told not to."""
    raw = raw.strip()
    if raw.startswith("```"):
        raw = raw.strip("`").strip()
        raw = raw[4:] if raw.lower().startswith("json") else raw
    return raw


def validate(
    fields: dict, *, today: datetime.date, room_codes: Sequence[str]
) -> tuple[LLMReading, list[str]]:
    """The reading, and the names of the fields the model filled with something
    unbelievable (dropped, never fixed up)."""
    readers = {
        "intent": lambda v: _one_of(v, INTENTS),
        "check_in": lambda v: _date(v, today),
        "check_out": lambda v: _date(v, today),
        "nights": lambda v: _count(v, 1, MAX_NIGHTS),
        "adults": lambda v: _count(v, 1, MAX_PEOPLE),
        "children": lambda v: _count(v, 0, MAX_PEOPLE),
        "room": lambda v: _room(v, room_codes),
        "name": _name,
        "email": _email,
        "phone": _phone,
        "topic": _topic,
        "language": lambda v: _one_of(v, LANGUAGES),
    }
    values, dropped = {}, []
    for name, read in readers.items():
        raw = fields.get(name)
        if raw is None or raw == "":
            continue
        value = read(raw)
        if value is None:
            dropped.append(name)
        else:
            values[name] = value
    if "check_in" in values and "check_out" in values and values["check_out"] <= values["check_in"]:
        del values["check_out"]
        dropped.append("check_out")
    return LLMReading(**values), dropped


def _one_of(value, choices: Sequence[str]) -> str | None:
    value = value.strip().lower() if isinstance(value, str) else None
    return value if value in choices else None


def _date(value, today: datetime.date) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        day = datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
    return day if day >= today else None


def _count(value, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and low <= value <= high else None


def _room(value, room_codes: Sequence[str]) -> str | None:
    if not isinstance(value, str):
        return None
    by_folded = {code.lower(): code for code in room_codes}
    return by_folded.get(value.strip().lower())


def _name(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    if not value or len(value) > MAX_TEXT_LENGTH or any(ch.isdigit() or ch in "@<>{}" for ch in value):
        return None
    return value if any(ch.isalpha() for ch in value) else None


def _email(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip().strip(".")
    return value.lower() if len(value) <= MAX_TEXT_LENGTH and EMAIL_RE.fullmatch(value) else None


def _phone(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    digits = sum(ch.isdigit() for ch in value)
    return value if _PHONE_CHARS_RE.fullmatch(value) and 9 <= digits <= 15 else None


def _topic(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = re.sub(r"[\s-]+", "_", value.strip().lower())
    return value if _TOPIC_RE.fullmatch(value) else None
