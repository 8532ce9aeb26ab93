"""API and webhook clients may be configured with or without the trailing slash:
both spellings reach the same view, in debug and production alike, and no
request — whatever its method — turns APPEND_SLASH into a 500."""
import re

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

METHODS = ["get", "post", "put", "patch", "delete"]


def concrete_paths(patterns=None, prefix="/"):
    """Every route of the project with its converters filled in (`<str:code>` → HA-TEST23)."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = re.sub(r"<(?:\w+:)?\w+>", "HA-TEST23", str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            yield from concrete_paths(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern) and "^" not in route and "(?" not in route:
            yield prefix + route


SLASHED = sorted({path for path in concrete_paths() if path.endswith("/") and path != "/"})
MACHINE = [path for path in SLASHED if path.startswith(("/api/", "/webhooks/"))]


def test_the_api_and_webhook_routes_are_enumerated():
    assert {"/api/v1/availability/", "/api/v1/messages/", "/webhooks/whatsapp/"} <= set(MACHINE)


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", MACHINE)
def test_api_and_webhook_paths_answer_the_same_without_the_slash(api, path, method, debug):
    with override_settings(DEBUG=debug):
        with_slash = getattr(api, method)(path, {}, format="json")
        without = getattr(api, method)(path.rstrip("/"), {}, format="json")

    assert without.status_code == with_slash.status_code
    assert without.status_code < 500


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("method", ["post", "delete"])
@pytest.mark.parametrize("path", SLASHED)
def test_no_write_to_any_slash_less_path_is_a_500(client, path, method, debug):
    with override_settings(DEBUG=debug):
        response = getattr(client, method)(path.rstrip("/"), {}, content_type="application/json")

    assert response.status_code < 500


def test_pages_keep_their_canonical_redirect(client):
    response = client.get("/r/some-token")

    assert (response.status_code, response["Location"]) == (301, "/r/some-token/")


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/nothing-here", "/webhooks/nope"])
def test_unknown_api_paths_answer_json_404_in_production(client, path):
    with override_settings(DEBUG=False):
        response = client.post(path, {}, content_type="application/json")

    assert response.status_code == 404
    assert response.json() == {"error": "not_found"}
