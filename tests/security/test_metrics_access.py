"""/metrics shows every hotel's bookings and revenue, so only Prometheus reads it:
a bearer token when METRICS_TOKEN is set (loopback too), METRICS_ALLOWED_IPS
without one, and loopback only when neither is configured."""
import ipaddress

import pytest
from django_scopes import scopes_disabled

from security.models import AuditEvent

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-scrape-token"


def scrape(client, ip="127.0.0.1", token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.get("/metrics", REMOTE_ADDR=ip, **headers)


def networks(*entries):
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []


@pytest.fixture
def unconfigured(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []


@pytest.mark.parametrize("ip", ["127.0.0.1", "127.8.9.10", "::1"])
def test_with_nothing_configured_loopback_may_scrape(client, unconfigured, ip):
    response = scrape(client, ip)

    assert response.status_code == 200
    assert b"django_http_requests" in response.content


@pytest.mark.parametrize("ip", ["203.0.113.5", "10.0.0.7", "192.168.1.2", "::ffff:203.0.113.5"])
def test_with_nothing_configured_other_addresses_are_refused(client, unconfigured, ip):
    response = scrape(client, ip)

    assert response.status_code == 403
    assert b"revenue" not in response.content and b"hotelagent" not in response.content


@pytest.mark.parametrize("ip", ["127.0.0.1", "203.0.113.5"])
def test_with_a_token_every_caller_needs_it(client, token, ip):
    assert scrape(client, ip).status_code == 401
    assert scrape(client, ip, token="wrong").status_code == 401
    assert scrape(client, ip, token=TOKEN).status_code == 200


def test_the_401_says_which_scheme_to_use(client, token):
    assert scrape(client)["WWW-Authenticate"] == 'Bearer realm="metrics"'


def test_a_wrong_token_is_audited_once_per_burst(client, token):
    for _ in range(5):
        scrape(client, "203.0.113.9", token="guess")

    with scopes_disabled():
        events = list(AuditEvent.objects.filter(action="metrics_token_invalid"))
    assert [(e.event_type, e.ip_address) for e in events] == [("AUTH_FAILURE", "203.0.113.9")]


@pytest.mark.parametrize("ip, allowed", [
    ("10.1.2.3", True), ("192.0.2.7", True), ("192.0.2.8", False), ("127.0.0.1", False),
    ("2001:db8::5", True), ("not-an-ip", False),
])
def test_listed_networks_scrape_without_a_token(client, settings, ip, allowed):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = networks("10.0.0.0/8", "192.0.2.7", "2001:db8::/32")

    assert scrape(client, ip).status_code == (200 if allowed else 403)


def test_listed_networks_and_a_token_together(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = networks("10.0.0.0/8")

    assert scrape(client, "10.9.9.9").status_code == 200
    assert scrape(client, "203.0.113.5").status_code == 401
    assert scrape(client, "203.0.113.5", token=TOKEN).status_code == 200


def test_a_bad_network_in_the_environment_stops_the_process_at_start(monkeypatch):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={"DJANGO_SETTINGS_MODULE": "hotelagent.settings", "DJANGO_DEBUG": "true",
             "METRICS_ALLOWED_IPS": "10.0.0.0/8,not-a-network", "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=60,
    )

    assert result.returncode != 0
    assert "not-a-network" in result.stderr
