import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from impasto.core.worker import ready_worker  # noqa: E402 - needs the apps loaded

ready_worker()  # load the views, then keep the collector off them (impasto/core/worker.py)
