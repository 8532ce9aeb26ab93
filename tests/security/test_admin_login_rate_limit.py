"""Five failed admin sign-ins for one username from one address lock that pair out
for ADMIN_LOGIN_LOCKOUT_SECONDS: the form says so (HTTP 200, like any failed
sign-in), even the right password is refused, and the lockout is audited once."""
import time

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from security.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

PASSWORD = "correct horse battery staple"  # UserFactory's
LOCKED = "Too many failed sign-in attempts"


@pytest.fixture
def ana(db):
    return UserFactory(username="ana")


def sign_in(client, password, username="ana", ip="198.51.100.4"):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(client, times, **who):
    for _ in range(times):
        sign_in(client, "wrong", **who)


def lockouts() -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(event_type=AuditEvent.Type.SUSPICIOUS_ACTIVITY))


def test_the_sign_in_page_opens(client):
    assert client.get(reverse("admin:login")).status_code == 200


def test_four_failures_still_let_the_right_password_in(client, ana):
    fail(client, 4)

    assert sign_in(client, PASSWORD).status_code == 302


def test_the_fifth_failure_locks_even_the_right_password_out(client, ana):
    fail(client, 5)

    response = sign_in(client, PASSWORD)

    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_audited_once(client, ana):
    fail(client, 8)

    [event] = lockouts()
    assert (event.action, event.actor, event.ip_address) == ("admin_login_locked_out", "username:ana",
                                                             "198.51.100.4")
    assert event.details == {"username": "ana", "failures": 5, "lockout_seconds": 900}


def test_refused_attempts_are_audited_as_failures(client, ana):
    fail(client, 6)

    with scopes_disabled():
        failures = list(AuditEvent.objects.filter(event_type=AuditEvent.Type.AUTH_FAILURE).order_by("pk"))
    assert len(failures) == 6
    assert [event.details["locked_out"] for event in failures] == [False] * 4 + [True] * 2


def test_another_address_or_username_is_not_locked_out(client, ana):
    UserFactory(username="bea")
    fail(client, 5)

    assert sign_in(client, PASSWORD, ip="203.0.113.9").status_code == 302
    client.logout()
    assert sign_in(client, PASSWORD, username="bea").status_code == 302


def test_a_success_starts_the_count_again(client, ana):
    fail(client, 4)
    sign_in(client, PASSWORD)
    client.logout()
    fail(client, 4)

    assert sign_in(client, PASSWORD).status_code == 302


def test_the_lockout_ends_after_its_time(client, ana, settings):
    settings.ADMIN_LOGIN_LOCKOUT_SECONDS = 1
    fail(client, 5)
    assert sign_in(client, PASSWORD).status_code == 200

    time.sleep(1.1)

    assert sign_in(client, PASSWORD).status_code == 302
