"""Settings shared by every environment; deploy-specific values come from the environment."""

import os
import tomllib
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "notices",
    "members",
    "experts",
    "volunteers",
    "aid",
    "calls",
    "portal",
    "portal.vetting",
    "portal.search",
    "portal.localization",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",  # the task queue's tables, for the database backend
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.twofactor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.fragments.fragment_context",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "members.User"
# Django's and allauth's backends, loading the signed-in person with what decides whether they need
# two-factor (portal/twofactor.py) in the same query.
AUTHENTICATION_BACKENDS = [
    "portal.twofactor.ModelBackend",
    "portal.twofactor.AuthenticationBackend",
]

# Accounts (django-allauth): e-mail and password, the address verified by a link before the first
# login, no answer that tells whether an address has an account, allauth's rate limits (kept in
# the shared cache). Two-factor (TOTP) for everyone who wants it, and required, in every session, of
# everyone who can reach staff-only or confidential data: see portal/twofactor.py. The Wagtail admin
# and private pages send people to the same login; there is no other.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# Behind reverse proxies the visitor's address is read from X-Forwarded-For, this many proxies from
# the end (0: straight from the connection). Rate limits (sign-in, objections) count per address.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "members.adapter.AccountAdapter"  # a taken address costs a sign-up the same work
ACCOUNT_FORMS = {"signup": "members.forms.SignupForm"}  # agreeing to the user agreement and privacy policy
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # the adapter puts the association's name in front
# The owner of an account hears of every change to its password, e-mail addresses and two-factor.
ACCOUNT_EMAIL_NOTIFICATIONS = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "大连市心理咨询师协会"
STAFF_TWO_FACTOR_REQUIRED = env_bool("STAFF_TWO_FACTOR_REQUIRED", True)
MFA_ADAPTER = "portal.twofactor.MFAAdapter"
MFA_FORMS = {  # the code fields labelled in the site's words
    "authenticate": "portal.twofactor.CodeForm",
    "reauthenticate": "portal.twofactor.ReauthenticateCodeForm",
    "activate_totp": "portal.twofactor.ActivateForm",
}
# Authenticator secrets are encrypted with the first of these Fernet keys (comma-separated, newest
# first; older ones still decrypt). Development and tests derive one from SECRET_KEY; production
# refuses to start without it.
MFA_ENCRYPTION_KEYS = env_list("MFA_ENCRYPTION_KEYS", "")
# Online dues payments: the sandbox provider signs its notifications with this (else with a key
# derived from SECRET_KEY). Set PAYMENT_SANDBOX_ENABLED=false once a real provider is configured.
PAYMENT_SANDBOX_SECRET = os.environ.get("PAYMENT_SANDBOX_SECRET", "")
PAYMENT_SANDBOX_ENABLED = env_bool("PAYMENT_SANDBOX_ENABLED", True)
# Dues reminders (`manage.py send_dues_reminders`): days before the due date; negative is after it.
DUES_REMINDER_OFFSETS = [int(day) for day in env_list("DUES_REMINDER_OFFSETS", "30,7,0,-30,-60")]

# The expert database: independent reviews each application needs before a chair decides, the public
# notice period of a batch in working days, how long an admission is valid, and the re-certification
# reminders sent that many days before it ends.
EXPERT_REVIEWS_REQUIRED = int(os.environ.get("EXPERT_REVIEWS_REQUIRED", "2"))
EXPERT_NOTICE_WORKING_DAYS = int(os.environ.get("EXPERT_NOTICE_WORKING_DAYS", "5"))
EXPERT_TERM_YEARS = int(os.environ.get("EXPERT_TERM_YEARS", "3"))
EXPERT_REMINDER_DAYS = [int(day) for day in env_list("EXPERT_REMINDER_DAYS", "90,30,7")]
# Certificate checks (证书查询) from one address per hour: plenty for anyone checking by hand.
CERTIFICATE_CHECKS_PER_HOUR = int(os.environ.get("CERTIFICATE_CHECKS_PER_HOUR", "30"))
# Objections to a 公示 (an expert batch, a call's selected entries) accepted from one address per hour.
OBJECTIONS_PER_HOUR = int(os.environ.get("OBJECTIONS_PER_HOUR", "5"))
# Volunteers: the year's commendation list proposes everyone with at least this many approved hours.
VOLUNTEER_COMMENDATION_HOURS = int(os.environ.get("VOLUNTEER_COMMENDATION_HOURS", "20"))

# Aid programmes. Beneficiaries' personal data and session notes are encrypted with the first of
# these Fernet keys (comma-separated, newest first; older ones still decrypt, for key rotation).
# Generate one with `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
# Development and tests derive a key from SECRET_KEY when none is set; production refuses to start.
AID_ENCRYPTION_KEYS = env_list("AID_ENCRYPTION_KEYS", "")
# Closed cases keep their personal data this many days, then only anonymous statistics remain.
AID_RETENTION_DAYS = int(os.environ.get("AID_RETENTION_DAYS", str(3 * 365)))
# Counsellor and beneficiary are told this many days before an assignment ends.
AID_END_NOTICE_DAYS = int(os.environ.get("AID_END_NOTICE_DAYS", "30"))
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False  # one way to reset a password: the site's, rate limited

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Caches: local memory unless REDIS_URL points at a shared Redis.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal-default",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }

# The release being served: part of every cache key kept until the next purge (fragments, id lists,
# cached pages), so that nothing cached by another release is read during or after a deployment.
# Set PORTAL_RELEASE to the deployed commit or tag; without it, the version in pyproject.toml.
RELEASE = (
    os.environ.get("PORTAL_RELEASE") or tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]["version"]
)

# Anonymous full-page cache (see portal/pagecache.py).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# A caching proxy or CDN in front of the site (portal/frontend_cache.py): anonymous pages are sent
# with `Cache-Control: s-maxage` so it may keep them, and publishing a page asks it to drop that
# page, its listings and the home page. FRONTEND_CACHE_URL is a proxy that takes HTTP PURGE
# (Varnish, nginx); CLOUDFLARE_ZONEID and CLOUDFLARE_BEARER_TOKEN name a Cloudflare zone.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_URL"],
    }
if os.environ.get("CLOUDFLARE_ZONEID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["CLOUDFLARE_ZONEID"],
        "BEARER_TOKEN": os.environ.get("CLOUDFLARE_BEARER_TOKEN", ""),
    }
# Translations are pages of their own, published (and purged) one by one.
WAGTAILFRONTENDCACHE_LANGUAGES: list[str] = []
# How long the proxy may keep a page: what a change that purges no address there (partners, the
# contact details, a document) waits to be seen.
FRONTEND_CACHE_SECONDS = int(os.environ.get("FRONTEND_CACHE_SECONDS", "300"))

# Page views are counted in the cache and written to the database every N views.
VIEW_COUNT_FLUSH_EVERY = int(os.environ.get("VIEW_COUNT_FLUSH_EVERY", "10"))
# Views of pages answered from the page cache are gathered in each worker for up to this many
# seconds and added to the shared counter together (0: each one at once).
VIEW_COUNT_BATCH_SECONDS = float(os.environ.get("VIEW_COUNT_BATCH_SECONDS", "1"))
# Counted by a small request the reader's browser sends (notices/views.py) instead of by the page
# view: the only way views served by a proxy or CDN are counted. On by default with one.
VIEW_COUNT_BEACON = env_bool("VIEW_COUNT_BEACON", bool(WAGTAILFRONTENDCACHE))

# Internationalisation: Simplified Chinese first, Traditional Chinese and English.
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [
    ("zh-hans", _("简体中文")),
    ("zh-hant", _("繁體中文")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAIL_I18N_ENABLED = True
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
    "CLASS": "portal.localization.translator.OpenCCTranslator",
    "OPTIONS": {},
}

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Members' certificate scans: never under MEDIA_ROOT (which the web server may serve), only through
# a view that checks who is asking.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail: console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "大连市心理咨询师协会 <noreply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Wagtail
WAGTAIL_SITE_NAME = "大连市心理咨询师协会"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "txt", "zip", "rar"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_MODERATION_ENABLED = True
# No avatars from Gravatar: staff e-mail hashes are not sent to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the dashboard ask releases.wagtail.org for a newer version (an English notice, and a call
# abroad from every staff browser); upgrades follow requirements.txt.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "portal.search.backends.database",
        "SEARCH_CONFIG": "simple",
    }
}
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS["default"] = {
        "BACKEND": "portal.search.backends.elasticsearch8",
        "URLS": [ELASTICSEARCH_URL],
        "INDEX_PREFIX": os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "portal_"),
        "TIMEOUT": 10,
    }

# Background work (django-tasks): e-mails after commit and the daily jobs. "immediate" runs each task
# in the request or command that queues it (make run, tests); "database" keeps them in the database
# for `manage.py db_worker` (production's default, see docs/operations.md).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {"default": {"BACKEND": TASK_BACKENDS[os.environ.get("TASKS_BACKEND", "immediate")]}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "jieba": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

WAGTAILIMAGES_IMAGE_MODEL = "portal.CustomImage"
WAGTAILDOCS_DOCUMENT_MODEL = "portal.CustomDocument"

# Page types index a segmented title (portal.search.index.page_search_fields) in place of
# Page's plain one, which this check would otherwise ask for.
SILENCED_SYSTEM_CHECKS = ["wagtailsearch.W001"]
