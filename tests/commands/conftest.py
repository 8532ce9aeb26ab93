import io

import pytest
from django.core.management import call_command


@pytest.fixture
def credentials_file(tmp_path):
    """Where seed_demo keeps what it created: a test's own, never the project's var/."""
    return tmp_path / "var" / "demo-credentials.txt"


@pytest.fixture
def seed_demo(credentials_file):
    """seed_demo with the test's credentials file; returns what it printed."""
    def seed_demo(*options: str) -> str:
        out = io.StringIO()
        call_command("seed_demo", "--credentials-file", str(credentials_file), *options, stdout=out)
        return out.getvalue()

    return seed_demo
