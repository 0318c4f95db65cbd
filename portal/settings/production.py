"""Production: everything deployable comes from the environment; refuses to start without SECRET_KEY,
a shared cache, the aid and authenticator encryption keys or a mail server, or with the payment
sandbox switched on without saying so twice. Two-factor for staff cannot be switched off here."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    AID_ENCRYPTION_KEYS,
    EMAIL_HOST,
    MFA_ENCRYPTION_KEYS,
    REDIS_URL,
    SECRET_KEY,
    TASK_BACKENDS,
    env_bool,
)

# What PAYMENT_SANDBOX_IN_PRODUCTION must say before the sandbox may run here (a staging copy, say).
SANDBOX_ACKNOWLEDGEMENT = "members-pay-nothing"

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
if not AID_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "AID_ENCRYPTION_KEYS must be set in production: aid beneficiaries' personal data is encrypted with it."
    )
if not MFA_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "MFA_ENCRYPTION_KEYS must be set in production: the secrets of staff authenticator apps are encrypted with it."
    )
if not env_bool("STAFF_TWO_FACTOR_REQUIRED", True):
    raise ImproperlyConfigured(
        "STAFF_TWO_FACTOR_REQUIRED=false is refused in production: whoever can reach staff-only or confidential "
        "data signs in with an authenticator code."
    )
if not REDIS_URL and not env_bool("ALLOW_LOCAL_MEMORY_CACHE"):
    # With a cache in each process, a purge reaches only the worker that made it: the others
    # would keep serving old pages, and a page given a password would stay public there.
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production: the page cache, its purges and the view counter are "
        "shared by all workers. Set ALLOW_LOCAL_MEMORY_CACHE=true only for a single-process deployment."
    )
if not EMAIL_HOST.strip():
    # Without it every e-mail (verification links, password resets, decisions, risk alerts) would
    # be written to the log instead of sent, and nobody would notice.
    raise ImproperlyConfigured(
        "EMAIL_HOST must be set in production (with EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD and "
        "DEFAULT_FROM_EMAIL as the mail server needs): account, membership and aid e-mails are sent through it."
    )
# The sandbox marks dues paid without any money: off unless asked for, and asked for knowingly.
PAYMENT_SANDBOX_ENABLED = env_bool("PAYMENT_SANDBOX_ENABLED", False)
if PAYMENT_SANDBOX_ENABLED and os.environ.get("PAYMENT_SANDBOX_IN_PRODUCTION") != SANDBOX_ACKNOWLEDGEMENT:
    raise ImproperlyConfigured(
        "PAYMENT_SANDBOX_ENABLED=true lets members mark their dues paid without paying. Unset it in production, "
        f"or, for a test deployment only, also set PAYMENT_SANDBOX_IN_PRODUCTION={SANDBOX_ACKNOWLEDGEMENT}."
    )

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"  # links in account e-mails
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# The Wagtail editor shows its live preview in a same-origin frame, so DENY would break it;
# SAMEORIGIN still refuses framing by any other site.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W019"]  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"jieba": {"level": "WARNING"}},
}

# E-mails and the daily jobs wait in the database for `manage.py db_worker` (docs/operations.md): a
# slow or unreachable mail server then delays a message, never a reader's request.
TASKS = {"default": {"BACKEND": TASK_BACKENDS[os.environ.get("TASKS_BACKEND", "database")]}}
