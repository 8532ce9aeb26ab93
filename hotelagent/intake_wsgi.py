"""The WSGI front: Meta's plain deliveries answered before Django's request cycle.

A signed delivery of guests' messages, or of their replies' statuses, is most of
what the site is sent, and the one request that must never wait: Meta retries
what it does not get a 200 for, and a queue of retries is how a message is lost.
Under Django's handler and its fourteen middleware such a delivery cost ~2 ms,
most of it in what a webhook from Meta never uses (sessions, CSRF, locale,
messages, staff scoping). Here it is taken by `webhooks.fast_path.accept` — the
view's own functions, minus the request object — and answered with what the middleware would have added: the
request id (in the log lines and the queued task too), the security headers,
django-prometheus' request metrics, the autoscaling counts, and the
request_started / request_finished signals that open and close database
connections.

Everything else goes to Django, untouched: other paths and methods, a body of
unknown length or over DATA_UPLOAD_MAX_MEMORY_SIZE, a host Django would refuse,
plain HTTP where HTTPS is required, a script prefix, cookies or Accept-Language
(the answer's Content-Language would follow them), tracing on (the request's
span starts the guest's trace), and whatever `accept` declines — bad
signatures, bad envelopes, a status about another number's reply — which
reaches the view with its body intact. An exception before the answer hands the
request to Django as well: what was stored stays stored (its redelivery is a
duplicate), and the view answers what it would have.
"""
import io
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core import signals
from django.http.request import split_domain_port, validate_host
from django.urls import get_script_prefix, resolve, reverse

from hotelagent import telemetry
from hotelagent.request_id import HEADER as REQUEST_ID_HEADER
from hotelagent.request_id import accepted_request_id
from hotelagent.scaling.middleware import RequestCounter
from security import log_context
from webhooks import fast_path
from webhooks.views import SIGNATURE_HEADER

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable], Iterable[bytes]]
_REQUEST_ID_KEY = "HTTP_" + REQUEST_ID_HEADER.upper().replace("-", "_")
_DECLINED = ("HTTP_COOKIE", "HTTP_ACCEPT_LANGUAGE", "HTTP_TRANSFER_ENCODING")


class WebhookFront:
    def __init__(self, django_app: WSGIApp) -> None:
        self.django = django_app
        path = "/" + reverse("whatsapp-webhook").removeprefix(get_script_prefix())  # PATH_INFO's spelling
        self.paths = frozenset({path, path.rstrip("/")})
        self.metrics = _RequestMetrics(resolve(path).view_name)
        self.counter = RequestCounter()
        # Read once, as SecurityMiddleware and XFrameOptionsMiddleware read them.
        self.ssl_redirect = settings.SECURE_SSL_REDIRECT
        self.leading_headers, self.hsts, self.trailing_headers = _answer_headers()

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") not in self.paths or not self._may_answer(environ):
            return self.django(environ, start_response)
        started = time.perf_counter()
        length = int(environ["CONTENT_LENGTH"])
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)  # for Django, should it be the one to answer
        request_id = accepted_request_id(environ.get(_REQUEST_ID_KEY, "")) or uuid.uuid4().hex
        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            log_context.bind_request(request_id)
            answer = fast_path.accept(body, environ.get(SIGNATURE_HEADER, ""))
        except Exception:
            logger.exception("webhook delivery not taken by the WSGI front; Django answers it")
            answer = None
        finally:
            if answer is None:
                signals.request_finished.send(sender=self.__class__)
        if answer is None:
            environ["wsgi.input"].seek(0)
            return self.django(environ, start_response)
        try:
            content = _compact(answer)
            secure = _is_secure(environ)
            start_response("200 OK", self._headers(content, request_id, secure=secure))
            seconds = time.perf_counter() - started
            self.metrics.count(secure=secure, request_bytes=length, response_bytes=len(content),
                               seconds=seconds)
            self.counter.count(seconds, 200)
        finally:
            signals.request_finished.send(sender=self.__class__)
        return [content]

    def _headers(self, content: bytes, request_id: str, *, secure: bool) -> list[tuple[str, str]]:
        """The view's answer's headers after the middleware (tests compare the two)."""
        return [
            *self.leading_headers, ("Content-Length", str(len(content))), ("Vary", "Accept-Language, Cookie"),
            ("Content-Language", settings.LANGUAGE_CODE), *(self.hsts if secure else ()),
            *self.trailing_headers, (REQUEST_ID_HEADER, request_id),
        ]

    def _may_answer(self, environ: dict[str, Any]) -> bool:
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("SCRIPT_NAME") or telemetry.tracing_on():
            return False
        if any(key in environ for key in _DECLINED):
            return False
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        if not 0 < length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return False
        if self.ssl_redirect and not _is_secure(environ):
            return False
        return _host_allowed(environ)


def _is_secure(environ: dict[str, Any]) -> bool:
    """As `HttpRequest.is_secure()`."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return environ.get("wsgi.url_scheme") == "https"


def _host_allowed(environ: dict[str, Any]) -> bool:
    """What `HttpRequest.get_host()` would accept without raising."""
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        host = environ["HTTP_X_FORWARDED_HOST"]
    else:
        host = environ.get("HTTP_HOST", "")
    if not host:
        return False
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, allowed)


def _compact(answer: dict[str, int]) -> bytes:
    """As the view's JsonResponse writes it (compact separators)."""
    return ("{" + ",".join(f'"{key}":{value}' for key, value in answer.items()) + "}").encode()


def _answer_headers() -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """What the middleware adds to the view's answer, around its length and id:
    before the length, HSTS (secure requests only) and the rest."""
    leading = [("Content-Type", "application/json"), ("X-Frame-Options", settings.X_FRAME_OPTIONS.upper())]
    hsts = []
    if settings.SECURE_HSTS_SECONDS:
        value = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            value += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            value += "; preload"
        hsts.append(("Strict-Transport-Security", value))
    trailing = []
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        trailing.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        trailing.append(("Referrer-Policy", settings.SECURE_REFERRER_POLICY))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        trailing.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    return leading, hsts, trailing


class _RequestMetrics:
    """django-prometheus' request metrics, as its two middleware record a 200 from
    the view; the label children are bound once."""

    def __init__(self, view: str) -> None:
        from django_prometheus.middleware import Metrics

        metrics = Metrics.get_instance()
        self.plain = (metrics.requests_total, metrics.responses_total,
                      metrics.requests_by_method.labels(method="POST"),
                      metrics.responses_by_status.labels(status="200"),
                      metrics.responses_by_status_view_method.labels(status="200", view=view, method="POST"),
                      metrics.responses_by_charset.labels(charset="utf-8"))
        self.by_transport = {
            transport: (metrics.requests_by_transport.labels(transport=transport),
                        metrics.requests_by_view_transport_method.labels(
                            view=view, transport=transport, method="POST"))
            for transport in ("http", "https")
        }
        self.latency = (metrics.requests_latency_before,
                        metrics.requests_latency_by_view_method.labels(view=view, method="POST"))
        self.request_bytes, self.response_bytes = metrics.requests_body_bytes, metrics.responses_body_bytes

    def count(self, *, secure: bool, request_bytes: int, response_bytes: int, seconds: float) -> None:
        for counter in (*self.plain, *self.by_transport["https" if secure else "http"]):
            counter.inc()
        for histogram in self.latency:
            histogram.observe(seconds)
        self.request_bytes.observe(request_bytes)
        self.response_bytes.observe(response_bytes)
