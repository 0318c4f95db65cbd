"""WSGI entry point (gunicorn portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()

# Load the Chinese dictionary now rather than on some visitor's first search
# (with gunicorn --preload, once for all workers).
from portal.search.segment import tokenizer  # noqa: E402

tokenizer()
