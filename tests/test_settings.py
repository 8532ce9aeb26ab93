"""Settings are read from the environment when the process starts, so each case
runs manage.py in a fresh interpreter with exactly the environment production has."""
import os
import secrets
import subprocess
import sys

from django.conf import settings

PASSED_THROUGH = ("PATH", "DATABASE_URL", "REDIS_URL", "DJANGO_ENV_FILE")  # the last: no developer's .env


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_the_deploy_checks():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_DEBUG="false", SECRET_KEY=secrets.token_urlsafe(48), ALLOWED_HOSTS="hotel.example",
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="false", ALLOWED_HOSTS="hotel.example")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_development_starts_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="true")

    assert result.returncode == 0, result.stdout + result.stderr
