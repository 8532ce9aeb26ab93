"""`make run` writes a `.env` that `manage.py` commands run from a shell read.

Each case runs a fresh interpreter, as a shell would, on a `.env` written by the
Makefile's own rule into a temporary directory (never the project's `.env`),
named by DJANGO_ENV_FILE."""
import os
import shutil
import stat
import subprocess
import sys

import pytest
from django.conf import settings

PASSED_THROUGH = ("PATH", "DATABASE_URL", "REDIS_URL")

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make_env_file(directory, *, port: int):
    """The `.env` the Makefile writes for `PORT=<port> make run`."""
    shutil.copy(settings.BASE_DIR / "Makefile", directory)
    bin_dir = directory / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    subprocess.run(  # noqa: S603 - make with fixed arguments
        ["make", "--no-print-directory", ".env", f"PORT={port}"],  # noqa: S607
        cwd=directory, check=True, capture_output=True, timeout=60,
    )
    return directory / ".env"


def manage(*args: str, env_file, **env: str) -> subprocess.CompletedProcess:
    """manage.py as a shell runs it: no DJANGO_DEBUG, no SECRET_KEY, only the file."""
    environment = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    environment.update(env, DJANGO_ENV_FILE=str(env_file))
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120,
    )


def setting(name: str, *, env_file, **env: str) -> str:
    result = manage("shell", "-v", "0", "-c", f"from django.conf import settings; print(settings.{name})",
                    env_file=env_file, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_commands_from_a_shell_start_with_the_file_make_run_writes(tmp_path):
    env_file = make_env_file(tmp_path, port=8000)

    result = manage("help", env_file=env_file)

    assert result.returncode == 0, result.stderr
    assert "create_api_key" in result.stdout and "chat" in result.stdout


def test_without_the_file_they_still_refuse_to_start_without_a_secret_key(tmp_path):
    result = manage("check", env_file=tmp_path / "missing.env")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_file_is_development_with_its_own_secret_readable_by_you_only(tmp_path):
    env_file = make_env_file(tmp_path, port=8000)
    values = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line
                  and not line.startswith("#"))

    assert values["DJANGO_DEBUG"] == "true"
    assert len(values["SECRET_KEY"]) >= 50
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert setting("DEBUG", env_file=env_file) == "True"


def test_make_run_never_rewrites_an_existing_file(tmp_path):
    env_file = make_env_file(tmp_path, port=8000)
    env_file.write_text(env_file.read_text() + "LOG_LEVEL=WARNING\n")
    written = env_file.read_text()

    subprocess.run(["make", ".env", "PORT=9000"], cwd=tmp_path, check=True, capture_output=True)  # noqa: S603, S607

    assert env_file.read_text() == written


def test_the_environment_wins_over_the_file(tmp_path):
    env_file = make_env_file(tmp_path, port=8000)

    debug = setting("DEBUG", env_file=env_file, DJANGO_DEBUG="false", ALLOWED_HOSTS="hotel.example")
    port = setting("PUBLIC_BASE_URL", env_file=env_file, PORT="9500")

    assert debug == "False"
    assert port == "http://127.0.0.1:9500"


def test_guest_links_from_the_shell_point_at_the_port_make_run_serves(tmp_path):
    env_file = make_env_file(tmp_path, port=9123)

    assert setting("PUBLIC_BASE_URL", env_file=env_file) == "http://127.0.0.1:9123"


def test_a_public_base_url_set_by_hand_is_kept(tmp_path):
    env_file = make_env_file(tmp_path, port=9123)
    env_file.write_text(env_file.read_text() + "PUBLIC_BASE_URL=https://tunnel.example\n")

    assert setting("PUBLIC_BASE_URL", env_file=env_file) == "https://tunnel.example"


def test_the_test_suite_reads_no_env_file():
    assert settings.ENV_FILE == ""
