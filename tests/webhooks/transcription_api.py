"""A stand-in for an OpenAI-compatible speech-to-text server on a real local
socket: POST /v1/audio/transcriptions (multipart `file` and `model`) answers
{"text": `text`}, or `status` with an error, after `delay` seconds. Each request
is recorded with the model asked for and the audio received."""
import json
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeTranscriptionAPI:
    def __init__(self, text: str = ""):
        self.text = text
        self.status = 200
        self.delay = 0.0
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fake.requests.append({"path": self.path, "authorization": self.headers.get("Authorization"),
                                      **_form(self.headers.get("Content-Type", ""), body)})
                if fake.delay:
                    time.sleep(fake.delay)
                answer = {"text": fake.text} if fake.status == 200 else {"error": {"message": "scripted"}}
                payload = json.dumps(answer).encode()
                try:
                    self.send_response(fake.status)
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
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _form(content_type: str, body: bytes) -> dict:
    """The multipart form's fields: {"model": ..., "file": bytes, "filename": ...}."""
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    form: dict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if part.get_filename():
            form["file"], form["filename"] = part.get_payload(decode=True), part.get_filename()
        else:
            form[name] = part.get_payload(decode=True).decode()
    return form
