"""Off, tracing is absent from the process; on, every library is instrumented.
Each case is a fresh interpreter with production's environment, as a server starts."""
from tests.test_settings import manage

SHOW = (
    "import sys, hotelagent.wsgi; from django.conf import settings; "
    "from opentelemetry.instrumentation.celery import CeleryInstrumentor as C; "
    "print('state', any('opentelemetry' in m for m in settings.MIDDLEWARE), "
    "'opentelemetry.sdk.trace' in sys.modules, C().is_instrumented_by_opentelemetry)"
)
PRODUCTION = {"DJANGO_DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "hotel.example"}


def state(**env) -> str:
    result = manage("shell", "-c", SHOW, **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split("state ")[-1].strip()


def test_without_a_collector_nothing_is_instrumented_and_the_sdk_is_not_even_imported():
    assert state() == "False False False"


def test_with_a_collector_django_and_celery_are_instrumented():
    assert state(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9") == "True True True"
