"""A stand-in for Meta's Graph API on a real local socket.

It records every request and answers from a script of (status, body, delay,
headers) tuples, falling back to a normal "accepted" answer when the script runs
out. `before_answer`, when set, runs after Meta has "accepted" a message and
before the answer leaves: the moment a fault between send and record needs.
An `outage` (status, seconds[, headers]) answers every request so until it ends.

Read receipts ("status": "read", with the typing indicator) are kept apart, in
`receipts`, and answered from their own `receipt_script` of (status, delay):
tests of sending see only the messages, and their scripts are not consumed.

Media (GET) is apart too: `add_media` publishes a file under a media id, and
`GET /<version>/<media-id>` answers its URL, MIME type, SHA-256 and size as Meta
does, `GET /media-files/<media-id>` the bytes, to a Bearer token only
(`media_token`, when set, must be that one). An unknown id is answered 404, as
an expired one is. Each GET is recorded in `media_requests`, never in `requests`.
"""
import hashlib
import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FILES_PATH = "/media-files/"


@dataclass
class FakeMedia:
    """One published file and how the stand-in answers for it."""

    content: bytes
    mime_type: str
    content_type: str | None = None  # the download's Content-Type; the MIME type when None
    declared_size: int | str | None = None  # `file_size` in the metadata; the real size when None
    info_status: int = 200
    file_status: int = 200
    send_length: bool = True  # False: no Content-Length, the body ends when the connection closes
    delay: float = 0


class FakeGraphAPI:
    def __init__(self):
        self.requests: list[dict] = []
        self.script: deque = deque()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.before_answer = None
        self.outage: tuple[int, float, dict] | None = None
        self.receipts: list[dict] = []
        self.receipt_script: deque = deque()
        self.media: dict[str, FakeMedia] = {}
        self.media_requests: list[dict] = []
        self.media_token: str | None = None
        self.uploads: list[dict] = []  # POST /<number>/media: files the hotel uploaded to send
        self.upload_status = 200
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                if self.path.endswith("/media"):
                    return self._upload(raw)
                body = json.loads(raw or b"{}")
                if body.get("status") == "read":
                    return self._receipt(body)
                with fake._lock:
                    status, answer, delay, headers = fake._next()
                    fake.requests.append({
                        "path": self.path, "authorization": self.headers.get("Authorization"),
                        "json": body, "answered": status, "at": time.monotonic(),
                    })
                    if answer is None and status == 200:
                        answer = {
                            "messaging_product": "whatsapp",
                            "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                            "messages": [{"id": f"wamid.out.{next(fake._ids)}"}],
                        }
                if delay:
                    time.sleep(delay)
                if status == 200 and fake.before_answer is not None:
                    fake.before_answer()
                self._answer(status, answer or {"error": {"message": "scripted", "code": status}}, headers)

            def do_GET(self):  # noqa: N802 - http.server's naming
                authorization = self.headers.get("Authorization") or ""
                media_id = self.path.rsplit("/", 1)[-1]
                with fake._lock:
                    media = fake.media.get(media_id)
                    record = {"path": self.path, "authorization": authorization}
                    fake.media_requests.append(record)
                authorized = authorization.startswith("Bearer ") and (
                    fake.media_token is None or authorization == f"Bearer {fake.media_token}")
                if not authorized:
                    record["answered"] = 401
                    return self._answer(401, {"error": {"message": "Invalid OAuth token", "code": 190}}, {})
                if media is None:
                    record["answered"] = 404
                    return self._answer(404, {"error": {"message": "Unsupported request", "code": 100}}, {})
                if media.delay:
                    time.sleep(media.delay)
                if self.path.startswith(FILES_PATH):
                    record["answered"] = media.file_status
                    return self._file(media)
                record["answered"] = media.info_status
                if media.info_status != 200:
                    return self._answer(media.info_status, {"error": {"code": media.info_status}}, {})
                self._answer(200, {
                    "messaging_product": "whatsapp", "url": fake.file_url(media_id), "id": media_id,
                    "mime_type": media.mime_type, "sha256": hashlib.sha256(media.content).hexdigest(),
                    "file_size": len(media.content) if media.declared_size is None else media.declared_size,
                }, {})

            def _file(self, media):
                if media.file_status != 200:
                    return self._answer(media.file_status, {"error": {"code": media.file_status}}, {})
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", media.content_type or media.mime_type)
                    if media.send_length:
                        self.send_header("Content-Length", str(len(media.content)))
                    self.end_headers()
                    self.wfile.write(media.content)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _upload(self, raw: bytes):
                """POST /<phone-number-id>/media (multipart): keep the parts, answer an id."""
                with fake._lock:
                    status = fake.upload_status
                    media_id = f"media.up.{next(fake._ids)}"
                    fake.uploads.append({
                        "path": self.path, "authorization": self.headers.get("Authorization"),
                        "content_type": self.headers.get("Content-Type", ""), "body": raw, "answered": status,
                    })
                self._answer(status, {"id": media_id} if status == 200 else
                             {"error": {"message": "scripted upload failure", "code": status}}, {})

            def _receipt(self, body):
                with fake._lock:
                    status, delay = fake.receipt_script.popleft() if fake.receipt_script else (200, 0)
                    fake.receipts.append({"path": self.path, "json": body, "answered": status,
                                          "authorization": self.headers.get("Authorization")})
                if delay:
                    time.sleep(delay)
                self._answer(status, {"success": True} if status == 200 else {"error": {"code": status}}, {})

            def _answer(self, status, answer, headers):
                payload = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
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

    def file_url(self, media_id: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{FILES_PATH}{media_id}"

    def add_media(self, media_id: str, content: bytes, mime_type: str, **answers) -> FakeMedia:
        """Publish a file under `media_id`; `answers` are FakeMedia's other fields."""
        self.media[media_id] = FakeMedia(content, mime_type, **answers)
        return self.media[media_id]

    @property
    def downloads(self) -> list[dict]:
        """The file downloads asked for (not the metadata look-ups)."""
        return [request for request in self.media_requests if request["path"].startswith(FILES_PATH)]

    def answer(self, status: int, body: dict | None = None, delay: float = 0,
               headers: dict | None = None) -> None:
        self.script.append((status, body, delay, headers or {}))

    def fail_for(self, seconds: float, status: int = 500, headers: dict | None = None) -> None:
        """Answer `status` to everything for the next `seconds`, then recover."""
        self.outage = (status, time.monotonic() + seconds, headers or {})

    def _next(self) -> tuple:
        if self.outage is not None:
            status, until, headers = self.outage
            if time.monotonic() < until:
                return status, None, 0, headers
            self.outage = None
        return self.script.popleft() if self.script else (200, None, 0, {})

    @property
    def accepted(self) -> list[dict]:
        """The requests Meta accepted (answered 200): what guests received."""
        return [request for request in self.requests if request.get("answered") == 200]

    @property
    def sent_texts(self) -> list[str]:
        return [shown_text(request["json"]) for request in self.requests]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def shown_text(message: dict) -> str:
    """What the guest reads of a sent message: a text's body, an interactive
    message's body followed by its button or row titles, a template's name and
    parameters, a picture's or document's caption."""
    kind = message.get("type")
    if kind == "template":
        components = message["template"].get("components", [])
        values = [p["text"] for c in components for p in c.get("parameters", []) if p.get("type") == "text"]
        return " | ".join([f"[template {message['template']['name']}]", *values])
    if kind in ("image", "document"):
        return message[kind].get("caption", "")
    if kind != "interactive":
        return message["text"]["body"]
    interactive = message["interactive"]
    action = interactive.get("action", {})
    titles = [button["reply"]["title"] for button in action.get("buttons", [])]
    titles += [row["title"] for section in action.get("sections", []) for row in section.get("rows", [])]
    return "\n".join([interactive["body"]["text"], *titles])
