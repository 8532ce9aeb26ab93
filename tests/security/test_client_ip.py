"""The audit trail's client address: X-Forwarded-For counts only through the
TRUSTED_PROXY_COUNT proxies in front of us, each of which appends one hop."""
from django.test import RequestFactory

from security.audit import client_ip


def request(forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **headers)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request("203.0.113.7")) == "10.0.0.2"


def test_behind_one_proxy_the_last_hop_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request("203.0.113.7")) == "203.0.113.7"


def test_hops_a_client_made_up_before_our_proxy_are_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request("1.2.3.4, 5.6.7.8, 203.0.113.7")) == "203.0.113.7"


def test_behind_two_proxies_the_second_to_last_hop_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(request("1.2.3.4, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"


def test_fewer_hops_than_proxies_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(request("203.0.113.7")) == "10.0.0.2"


def test_no_request_has_no_address():
    assert client_ip(None) is None
