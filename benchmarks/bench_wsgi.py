"""The product's WSGI application (hotelagent.wsgi) serving bench_urls: every
product URL unchanged, plus the references under /bench/.

    gunicorn -c deploy/gunicorn.conf.py --pythonpath benchmarks bench_wsgi:application
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotelagent.settings")

from django.conf import settings  # noqa: E402

from hotelagent.wsgi import application  # noqa: E402, F401 - what gunicorn serves

settings.ROOT_URLCONF = "bench_urls"  # read by the handler on every request
if os.environ.get("BENCH_CELERY_QUEUE"):  # http_suite.py: queued messages go to a list it deletes afterwards
    from hotelagent.celery import app as celery_app

    celery_app.conf.task_default_queue = os.environ["BENCH_CELERY_QUEUE"]
