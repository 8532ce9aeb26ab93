import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotelagent.settings")

from hotelagent.telemetry import instrument_django  # noqa: E402

instrument_django()
django_application = get_wsgi_application()

from hotelagent.intake_wsgi import WebhookFront  # noqa: E402 - imports models: after django.setup()

# Meta's plain deliveries are answered in front of Django's request cycle; everything else is Django's.
application = WebhookFront(django_application)
