import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotelagent.settings")

from hotelagent.telemetry import instrument_django  # noqa: E402

instrument_django()
application = get_wsgi_application()
