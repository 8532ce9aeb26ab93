"""A stand-in for Meta's Graph API on a real local socket.

It records every request and answers from a script of (status, body, delay)
tuples, falling back to a normal "accepted" answer when the script runs out.
"""
import itertools
import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeGraphAPI:
    def __init__(self):
        self.requests: list[dict] = []
        self.script: deque = deque()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                with fake._lock:
                    fake.requests.append({
                        "path": self.path, "authorization": self.headers.get("Authorization"),
                        "json": body,
                    })
                    status, answer, delay = fake.script.popleft() if fake.script else (200, None, 0)
                    if answer is None and status == 200:
                        answer = {
                            "messaging_product": "whatsapp",
                            "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                            "messages": [{"id": f"wamid.out.{next(fake._ids)}"}],
                        }
                if delay:
                    time.sleep(delay)
                payload = json.dumps(answer or {"error": {"message": "scripted", "code": status}}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v21.0"

    def answer(self, status: int, body: dict | None = None, delay: float = 0) -> None:
        self.script.append((status, body, delay))

    @property
    def sent_texts(self) -> list[str]:
        return [request["json"]["text"]["body"] for request in self.requests]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
