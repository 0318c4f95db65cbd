"""WSGI entry point (gunicorn portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()


def load_what_every_request_needs() -> None:
    """Build now, rather than on some visitor's request, what every worker would otherwise build for
    itself (with gunicorn.conf.py's preload, once in the master, shared by the workers it forks): the
    Chinese dictionary, and the URL configuration with every view module it imports (some 840
    modules of Wagtail's admin, allauth and the apps, about 95 MB in bench/memory.py) and the
    resolver's tables for each language."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    from portal.search.segment import tokenizer

    tokenizer()
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 - reading it imports the views and builds the tables


load_what_every_request_needs()
