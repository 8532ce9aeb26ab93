"""Requests to the WSGI application as a WSGI server makes them: through the
front (hotelagent/intake_wsgi.py), not the test client, which starts at Django's
handler. Each request gets the composition hotelagent.wsgi builds, built anew:
the front and the middleware read some settings once, and tests change them."""
import io
import sys

from django.core.handlers.wsgi import WSGIHandler

from hotelagent.intake_wsgi import WebhookFront

from . import payloads

URL = "/webhooks/whatsapp/"


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], content: bytes) -> None:
        self.status_code = int(status[:3])
        self.headers = dict(headers)
        self.content = content


def call(body: bytes, *, path: str = URL, method: str = "POST", **environ) -> Answer:
    full = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9", "HTTP_HOST": "testserver", "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.multithread": False,
        "wsgi.multiprocess": True, "wsgi.run_once": False, **environ,
    }
    started: list = []
    application = WebhookFront(WSGIHandler())  # get_wsgi_application() without django.setup() again
    result = application(full, lambda status, headers, exc_info=None: started.append((status, headers)))
    try:
        content = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()  # request_finished, as a WSGI server does
    return Answer(*started[0], content)


def signed_call(payload, **environ) -> Answer:
    body, signature = payloads.signed(payload)
    return call(body, HTTP_X_HUB_SIGNATURE_256=signature, **environ)


def one_text(wamid: str, text: str = "Hola, ¿hay sitio el viernes?") -> dict:
    return payloads.delivery(payloads.change(payloads.SOL_NUMBER_ID, messages=[payloads.text(wamid, text)]))
