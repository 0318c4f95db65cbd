"""Test runs (`make test`): fast hashing, in-memory e-mail, the same database choice as dev."""

import os
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403

DEBUG = False
# The demo site (`manage.py load_demo_content`) is for development and tests, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Views answered from the page cache are counted at once, so a test reads the count right after a
# view; tests/portal/test_view_counter.py checks the gathering of production (one second).
VIEW_COUNT_BATCH_SECONDS = 0
MEDIA_ROOT = BASE_DIR / "tmp" / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "tmp" / "test-private-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The site runs on the database search during tests, whatever the shell says; tests of the
# Elasticsearch paths use the server named by ELASTICSEARCH_URL, if any, explicitly.
TEST_ELASTICSEARCH_URL = ELASTICSEARCH_URL  # noqa: F405
ELASTICSEARCH_URL = ""
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "portal.search.backends.database", "SEARCH_CONFIG": "simple"}}

# Static files come straight from the finders; no collectstatic before a test run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Parallel test workers (pytest-xdist) each get a Redis database of their own: the tests empty
# the cache, and Wagtail caches site root paths that differ between the workers' databases.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):  # noqa: F405
    _url = urlsplit(REDIS_URL)  # noqa: F405
    _db = int(_url.path.strip("/") or 0) - int(_worker[2:]) - 1
    CACHES["default"]["LOCATION"] = urlunsplit(_url._replace(path=f"/{_db % 16}"))  # noqa: F405
