import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotelagent.settings")

from hotelagent.telemetry import instrument_django  # noqa: E402

instrument_django()
application = get_asgi_application()
