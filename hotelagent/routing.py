"""Both spellings of a path, and JSON answers where machines are the callers.

Django's APPEND_SLASH redirects a slash-less URL to its slashed twin, which a
POST cannot follow (debug raises RuntimeError, production answers 301 and the
body is lost). API and webhook clients are programs that may have been
configured either way, so there the slash-less spelling is routed to the same
view; elsewhere only requests that cannot be redirected (POST, PUT, PATCH,
DELETE) are, and pages keep Django's canonical redirect.
"""
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import is_valid_path
from django.views import defaults

MACHINE_PREFIXES = ("/api/", "/webhooks/")
REDIRECTABLE = frozenset({"GET", "HEAD", "OPTIONS"})


class TrailingSlashMiddleware:
    """Before CommonMiddleware: once the path has its slash, APPEND_SLASH has nothing to do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.endswith("/") and (request.method not in REDIRECTABLE or _for_machines(path)):
            urlconf = getattr(request, "urlconf", None)
            if not is_valid_path(path, urlconf) and is_valid_path(f"{path}/", urlconf):
                request.path_info = f"{path}/"
                request.path = f"{request.path}/"
        return self.get_response(request)


def _for_machines(path: str) -> bool:
    return path.startswith(MACHINE_PREFIXES) or f"{path}/" in MACHINE_PREFIXES


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if _for_machines(request.path):
        return JsonResponse({"error": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _for_machines(request.path):
        return JsonResponse({"error": "server_error"}, status=500)
    return defaults.server_error(request)
