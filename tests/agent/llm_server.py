"""A stand-in for an OpenAI-compatible chat-completions API on a real local socket.

It records every request (path, Authorization header, JSON body) and answers
from a queue of canned responses: a JSON reading as the message content, the same
as a `read_message` tool call, an HTTP error, a slow answer, or bytes that are not
JSON at all. With the queue empty it answers a reading with every field null.
"""
import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Canned:
    status: int = 200
    body: bytes = b""
    delay: float = 0


def completion(message: dict) -> dict:
    """A chat.completion object with one choice holding `message`."""
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "stand-in",
        "choices": [{"index": 0, "message": {"role": "assistant", **message}, "finish_reason": "stop"}],
    }


class FakeLLM:
    def __init__(self):
        self.requests: list[dict] = []
        self.queue: deque[Canned] = deque()
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with fake._lock:
                    fake.requests.append({
                        "path": self.path, "authorization": self.headers.get("Authorization"),
                        "json": json.loads(raw or b"{}"),
                    })
                    canned = fake.queue.popleft() if fake.queue else fake._empty_reading()
                if canned.delay:
                    time.sleep(canned.delay)
                try:
                    self.send_response(canned.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(canned.body)))
                    self.end_headers()
                    self.wfile.write(canned.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting: what a timeout test wants

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # A short poll keeps shutdown (once per test) from costing half a second.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    # --- canned answers ---------------------------------------------------------

    def answer_json(self, payload, status: int = 200, delay: float = 0) -> None:
        self.queue.append(Canned(status, json.dumps(payload).encode(), delay))

    def answer_content(self, fields: dict | str, delay: float = 0) -> None:
        """The reading as the message's content (response_format json_schema)."""
        content = fields if isinstance(fields, str) else json.dumps(fields)
        self.answer_json(completion({"content": content}), delay=delay)

    def answer_tool_call(self, fields: dict, name: str = "read_message") -> None:
        """The reading as the arguments of a forced function call (tools)."""
        self.answer_json(completion({"content": None, "tool_calls": [{
            "id": "call_1", "type": "function", "function": {"name": name, "arguments": json.dumps(fields)},
        }]}))

    def answer_status(self, status: int) -> None:
        self.answer_json({"error": {"message": "scripted failure", "type": "server_error"}}, status=status)

    def answer_slowly(self, seconds: float, fields: dict | None = None) -> None:
        self.answer_content(fields or {}, delay=seconds)

    def answer_garbage(self, body: bytes = b"<html><body>502 Bad Gateway</body></html>") -> None:
        self.queue.append(Canned(200, body))

    def _empty_reading(self) -> Canned:
        return Canned(200, json.dumps(completion({"content": "{}"})).encode())

    # --- lifecycle --------------------------------------------------------------

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def serve_llm(
    settings, *, model: str = "hotel-reader-test", timeout: float = 0.5, output: str = "json_schema"
):
    """Start a FakeLLM and point the agent's settings at it (pytest-django's
    `settings` fixture undoes them); a generator for a fixture to `yield from`."""
    with FakeLLM() as fake:
        settings.AGENT_LLM_BASE_URL = fake.base_url
        settings.AGENT_LLM_MODEL = model
        settings.AGENT_LLM_TIMEOUT_SECONDS = timeout
        settings.AGENT_LLM_OUTPUT = output
        yield fake
