"""A browsable API reference at /api/docs/, served from the app itself; `/` leads to the admin."""
import re

import pytest
from django.contrib.staticfiles import finders

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


def test_the_api_reference_is_a_page_anyone_can_open(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "SwaggerUIBundle" in response.content.decode()
    assert 'url: "/api/schema/"' in response.content.decode()


def test_it_loads_nothing_from_another_site(client):
    page = client.get("/api/docs/").content.decode()

    assets = ASSET.findall(page)
    assert assets, "the page loads Swagger UI's script and style"
    assert not re.search(r"https?://", page)
    for asset in assets:
        assert asset.startswith("/static/")
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is served locally"


def test_the_schema_it_shows_answers_without_a_key(client):
    assert client.get("/api/schema/").status_code == 200


def test_the_root_leads_to_the_admin(client):
    response = client.get("/")

    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_every_admin_screen_links_the_api_reference(client):
    client.force_login(UserFactory(is_superuser=True))

    page = client.get("/admin/").content.decode()

    assert 'href="/api/docs/"' in page
