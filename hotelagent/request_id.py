"""Every request has an id: the caller's `X-Request-ID` when it looks like one
(a proxy or load balancer in front of us set it), a new one otherwise. It is in
every log line the request writes, in the tasks it queues, on its span, and in
the response's `X-Request-ID`, so a guest's complaint, the proxy's access log
and our logs meet on one value."""
import re
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver

from security import log_context

HEADER = "X-Request-ID"
_ACCEPTABLE = re.compile(r"[A-Za-z0-9._-]{1,128}")


def accepted_request_id(value: str) -> str:
    """The caller's id if it is short and plain (nothing a log line could be forged
    with), else ''."""
    return value if _ACCEPTABLE.fullmatch(value) else ""


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = accepted_request_id(request.headers.get(HEADER, "")) or uuid.uuid4().hex
        log_context.bind_request(request.request_id)
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response


@receiver(request_finished, dispatch_uid="hotelagent.request_id.forget")
def _forget(**kwargs) -> None:
    """Once the response is out: Django logs a 4xx/5xx after the middleware has
    returned, and that line should still carry the id; what runs next in this
    thread should not."""
    log_context.clear()
