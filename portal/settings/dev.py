"""Local development: `make run`."""

from .base import *  # noqa: F403
from .base import SECRET_KEY as _SECRET_KEY

DEBUG = True
# The demo site (`manage.py load_demo_content`) is for development and tests, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
SECRET_KEY = _SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
INTERNAL_IPS = ["127.0.0.1"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The site's own 404 page, as visitors see it (portal/devtools.py).
MIDDLEWARE = [*MIDDLEWARE, "portal.devtools.SiteNotFoundMiddleware"]  # noqa: F405
