"""Production settings refuse unsafe configurations; the demo loader builds the site once and only once."""

import os
import secrets
import subprocess
import sys

from cryptography.fernet import Fernet
from django.conf import settings

# Variables production reads, and test-only ones (browser tests set DJANGO_ALLOW_ASYNC_UNSAFE), that must not
# leak into the production process from the one running the tests.
PRODUCTION_VARIABLES = (
    "MFA_ENCRYPTION_KEYS",
    "STAFF_TWO_FACTOR_REQUIRED",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "REDIS_URL",
    "ALLOW_LOCAL_MEMORY_CACHE",
    "AID_ENCRYPTION_KEYS",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "PAYMENT_SANDBOX_ENABLED",
    "PAYMENT_SANDBOX_IN_PRODUCTION",
)
REDIS = "redis://127.0.0.1:6379/0"  # only parsed: settings do not connect
# The refusals are raised while the settings module is read: reading it is enough, and a fraction of
# a second against `django.setup()`, which imports every app. The deployment check sets it all up.
READ_SETTINGS = ["-c", "from django.conf import settings; settings.INSTALLED_APPS"]
SMTP = "smtp.example.org"  # only named: settings do not connect


def run_with_production_settings(args: list[str], **environment) -> subprocess.CompletedProcess:
    """Run with the production settings and `environment`; encryption keys and a mail server are set
    unless given (None: unset)."""
    env = {name: value for name, value in os.environ.items() if name not in PRODUCTION_VARIABLES}
    environment.setdefault("AID_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    environment.setdefault("MFA_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    environment.setdefault("EMAIL_HOST", SMTP)
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.production")
    env.update({name: value for name, value in environment.items() if value is not None})
    return subprocess.run(  # noqa: S603 - fixed arguments, the interpreter running the tests
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


# Production settings ----------------------------------------------------------------------------


def test_production_settings_refuse_to_start_without_secret_key():
    without_key = run_with_production_settings(READ_SETTINGS, REDIS_URL=REDIS)
    with_key = run_with_production_settings(READ_SETTINGS, SECRET_KEY=secrets.token_urlsafe(50), REDIS_URL=REDIS)

    assert without_key.returncode != 0
    assert "SECRET_KEY must be set in the environment for production." in without_key.stderr
    assert with_key.returncode == 0, with_key.stderr


def test_production_settings_refuse_a_cache_of_their_own_per_worker():
    key = secrets.token_urlsafe(50)

    without_redis = run_with_production_settings(READ_SETTINGS, SECRET_KEY=key)
    single_process = run_with_production_settings(READ_SETTINGS, SECRET_KEY=key, ALLOW_LOCAL_MEMORY_CACHE="true")
    with_redis = run_with_production_settings(READ_SETTINGS, SECRET_KEY=key, REDIS_URL=REDIS)

    assert without_redis.returncode != 0
    assert "REDIS_URL must be set in production" in without_redis.stderr
    assert single_process.returncode == 0, single_process.stderr
    assert with_redis.returncode == 0, with_redis.stderr


def test_production_settings_refuse_to_start_without_an_encryption_key_for_aid_records():
    key = secrets.token_urlsafe(50)

    without = run_with_production_settings(READ_SETTINGS, SECRET_KEY=key, REDIS_URL=REDIS, AID_ENCRYPTION_KEYS=None)
    mistyped = run_with_production_settings(
        ["manage.py", "check"], SECRET_KEY=key, REDIS_URL=REDIS, AID_ENCRYPTION_KEYS="not-a-key"
    )

    assert without.returncode != 0
    assert "AID_ENCRYPTION_KEYS must be set in production" in without.stderr
    assert mistyped.returncode != 0
    assert "aid.E001" in mistyped.stderr


def test_production_settings_refuse_to_start_without_a_key_for_authenticator_secrets():
    key = secrets.token_urlsafe(50)

    without = run_with_production_settings(READ_SETTINGS, SECRET_KEY=key, REDIS_URL=REDIS, MFA_ENCRYPTION_KEYS=None)
    mistyped = run_with_production_settings(
        ["manage.py", "check"], SECRET_KEY=key, REDIS_URL=REDIS, MFA_ENCRYPTION_KEYS="not-a-key"
    )

    assert without.returncode != 0
    assert "MFA_ENCRYPTION_KEYS must be set in production" in without.stderr
    assert mistyped.returncode != 0
    assert "portal.E001" in mistyped.stderr


def test_production_settings_refuse_to_switch_two_factor_off():

    off = run_with_production_settings(
        READ_SETTINGS, SECRET_KEY=secrets.token_urlsafe(50), REDIS_URL=REDIS, STAFF_TWO_FACTOR_REQUIRED="false"
    )

    assert off.returncode != 0
    assert "STAFF_TWO_FACTOR_REQUIRED=false is refused in production" in off.stderr


def test_production_settings_refuse_to_send_mail_to_the_console():
    key = secrets.token_urlsafe(50)
    show_backend = [
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND)",
    ]

    without = run_with_production_settings(show_backend, SECRET_KEY=key, REDIS_URL=REDIS, EMAIL_HOST=None)
    blank = run_with_production_settings(show_backend, SECRET_KEY=key, REDIS_URL=REDIS, EMAIL_HOST=" ")
    with_server = run_with_production_settings(show_backend, SECRET_KEY=key, REDIS_URL=REDIS, EMAIL_HOST=SMTP)

    assert without.returncode != 0 and blank.returncode != 0
    assert "EMAIL_HOST must be set in production" in without.stderr
    assert with_server.returncode == 0, with_server.stderr
    assert with_server.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"


def sandbox_setting(**environment) -> subprocess.CompletedProcess:
    show = [
        "-c",
        "from django.conf import settings; print(settings.PAYMENT_SANDBOX_ENABLED)",
    ]
    return run_with_production_settings(show, SECRET_KEY=secrets.token_urlsafe(50), REDIS_URL=REDIS, **environment)


def test_production_settings_keep_the_payment_sandbox_off_unless_acknowledged():
    default = sandbox_setting()
    switched_off = sandbox_setting(PAYMENT_SANDBOX_ENABLED="false")
    acknowledgement_alone = sandbox_setting(PAYMENT_SANDBOX_IN_PRODUCTION="members-pay-nothing")
    asked_for = sandbox_setting(PAYMENT_SANDBOX_ENABLED="true")
    wrongly_acknowledged = sandbox_setting(PAYMENT_SANDBOX_ENABLED="true", PAYMENT_SANDBOX_IN_PRODUCTION="true")
    acknowledged = sandbox_setting(PAYMENT_SANDBOX_ENABLED="true", PAYMENT_SANDBOX_IN_PRODUCTION="members-pay-nothing")

    for off in (default, switched_off, acknowledgement_alone):
        assert off.returncode == 0, off.stderr
        assert off.stdout.strip() == "False"
    for refused in (asked_for, wrongly_acknowledged):
        assert refused.returncode != 0
        assert "PAYMENT_SANDBOX_IN_PRODUCTION=members-pay-nothing" in refused.stderr
    assert acknowledged.returncode == 0, acknowledged.stderr
    assert acknowledged.stdout.strip() == "True"


def test_production_settings_pass_the_deployment_checks():
    check = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]

    host = "www.example.org"
    strong = run_with_production_settings(
        check, SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS=host, REDIS_URL=REDIS
    )
    weak = run_with_production_settings(check, SECRET_KEY="too-short", ALLOWED_HOSTS=host, REDIS_URL=REDIS)

    assert strong.returncode == 0, strong.stderr
    assert "no issues" in strong.stdout
    assert weak.returncode != 0
    assert "security.W009" in weak.stderr
