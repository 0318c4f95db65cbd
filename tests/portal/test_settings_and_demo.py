"""Production settings refuse unsafe configurations; the demo loader builds the site once and only once."""

import io
import os
import re
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Page, Revision

from experts.models import BatchObjection, Expert, ExpertApplication, ExpertBatch, ExpertReview
from home.models import CustomDocument, CustomImage, HomePage, Partner
from members import demo as members_demo
from members import services
from members.models import Invoice, Member, MembershipApplication, Payment
from notices.models import (
    NewsArticlePage,
    NoticePage,
    PolicyDocumentPage,
    PolicyInterpretationPage,
)
from tests.portal.factories import html

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
    without_key = run_with_production_settings(["-c", "import django; django.setup()"], REDIS_URL=REDIS)
    with_key = run_with_production_settings(
        ["-c", "import django; django.setup()"], SECRET_KEY=secrets.token_urlsafe(50), REDIS_URL=REDIS
    )

    assert without_key.returncode != 0
    assert "SECRET_KEY must be set in the environment for production." in without_key.stderr
    assert with_key.returncode == 0, with_key.stderr


def test_production_settings_refuse_a_cache_of_their_own_per_worker():
    setup = ["-c", "import django; django.setup()"]
    key = secrets.token_urlsafe(50)

    without_redis = run_with_production_settings(setup, SECRET_KEY=key)
    single_process = run_with_production_settings(setup, SECRET_KEY=key, ALLOW_LOCAL_MEMORY_CACHE="true")
    with_redis = run_with_production_settings(setup, SECRET_KEY=key, REDIS_URL=REDIS)

    assert without_redis.returncode != 0
    assert "REDIS_URL must be set in production" in without_redis.stderr
    assert single_process.returncode == 0, single_process.stderr
    assert with_redis.returncode == 0, with_redis.stderr


def test_production_settings_refuse_to_start_without_an_encryption_key_for_aid_records():
    setup = ["-c", "import django; django.setup()"]
    key = secrets.token_urlsafe(50)

    without = run_with_production_settings(setup, SECRET_KEY=key, REDIS_URL=REDIS, AID_ENCRYPTION_KEYS=None)
    mistyped = run_with_production_settings(
        ["manage.py", "check"], SECRET_KEY=key, REDIS_URL=REDIS, AID_ENCRYPTION_KEYS="not-a-key"
    )

    assert without.returncode != 0
    assert "AID_ENCRYPTION_KEYS must be set in production" in without.stderr
    assert mistyped.returncode != 0
    assert "aid.E001" in mistyped.stderr


def test_production_settings_refuse_to_start_without_a_key_for_authenticator_secrets():
    setup = ["-c", "import django; django.setup()"]
    key = secrets.token_urlsafe(50)

    without = run_with_production_settings(setup, SECRET_KEY=key, REDIS_URL=REDIS, MFA_ENCRYPTION_KEYS=None)
    mistyped = run_with_production_settings(
        ["manage.py", "check"], SECRET_KEY=key, REDIS_URL=REDIS, MFA_ENCRYPTION_KEYS="not-a-key"
    )

    assert without.returncode != 0
    assert "MFA_ENCRYPTION_KEYS must be set in production" in without.stderr
    assert mistyped.returncode != 0
    assert "portal.E001" in mistyped.stderr


def test_production_settings_refuse_to_switch_two_factor_off():
    setup = ["-c", "import django; django.setup()"]

    off = run_with_production_settings(
        setup, SECRET_KEY=secrets.token_urlsafe(50), REDIS_URL=REDIS, STAFF_TWO_FACTOR_REQUIRED="false"
    )

    assert off.returncode != 0
    assert "STAFF_TWO_FACTOR_REQUIRED=false is refused in production" in off.stderr


def test_production_settings_refuse_to_send_mail_to_the_console():
    key = secrets.token_urlsafe(50)
    show_backend = [
        "-c",
        "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)",
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
        "import django; django.setup(); from django.conf import settings; print(settings.PAYMENT_SANDBOX_ENABLED)",
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


# Demo content -----------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    models = (Page, Revision, CustomDocument, CustomImage, Partner, Member, MembershipApplication, Invoice, Payment)
    models += (ExpertApplication, ExpertReview, ExpertBatch, BatchObjection, Expert)
    return {model.__name__: model.objects.count() for model in models}


# Real transactions: wagtail-localize publishes each translation when machine_translate() commits.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_loader_builds_the_site_once(client):
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    first_output, second_output = io.StringIO(), io.StringIO()

    call_command("load_demo_content", "--force", stdout=first_output)
    loaded = row_counts()
    call_command("load_demo_content", "--force", stdout=second_output)

    assert row_counts() == loaded
    assert "Demo content loaded" in first_output.getvalue()
    assert "Demo expert database loaded" in first_output.getvalue()
    assert "nothing changed" in second_output.getvalue()

    # Demo members in each standing, applications in each state, dues paid by transfer and in cash.
    people = Member.objects.filter(user__email__in=[person[0] for person in members_demo.MEMBERS])
    standings = {member.full_name: services.standing_of(member) for member in people}
    assert sorted(standings.values()) == sorted(["active", "grace", "lapsed", "resigned"])
    # The expert applicants are members in good standing too.
    assert {services.standing_of(member) for member in Member.objects.exclude(pk__in=people)} == {"active"}
    assert set(MembershipApplication.objects.values_list("status", flat=True)) >= {
        "draft",
        "submitted",
        "returned",
        "rejected",
        "approved",
    }
    assert set(Payment.objects.values_list("method", "status")) >= {
        ("transfer", "confirmed"),
        ("transfer", "pending"),
        ("cash", "confirmed"),
        ("online", "confirmed"),
    }
    member_page = Client()
    member_page.post(reverse("account_login"), {"login": "member@example.com", "password": "portal-demo-2026"})
    assert "张明（演示）" in html(member_page.get(reverse("membership_home")))

    # The demo administrator printed by `make run` signs in (password, then the two-factor set-up).
    signed_in = client.post(reverse("account_login"), {"login": "admin@example.com", "password": "portal-demo-2026"})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    assert client.get(reverse("wagtailadmin_home"))["Location"] == reverse("mfa_activate_totp")
    client.logout()

    # So does the demo expert reviewer.
    signed_in = client.post(reverse("account_login"), {"login": "reviewer@example.com", "password": "portal-demo-2026"})
    assert signed_in.status_code == 302
    assert client.get(reverse("wagtailadmin_home"))["Location"] == reverse("mfa_activate_totp")
    client.logout()

    # 52 notices from the data, this year's dues notice, the expert database's call, three batches'
    # notices and final lists and the fourth batch's notice, all public, and their 繁體 translations.
    assert NoticePage.objects.filter(locale=locales["zh-hans"]).live().count() == 52 + 1 + 8
    assert NoticePage.objects.filter(locale=locales["zh-hant"]).live().count() == 52 + 1 + 8
    # This year's dues notice shows the year's rates and leads to paying, in every language.
    dues_notices = NoticePage.objects.filter(dues_period__year=timezone.localdate().year).live()
    assert sorted(notice.locale.language_code for notice in dues_notices) == ["en", "zh-hans", "zh-hant"]
    for notice in dues_notices:
        dues_html = html(client.get(notice.url))
        assert 'class="dues-panel"' in dues_html and "200" in dues_html, notice.url
    assert ExpertBatch.objects.filter(status="closed").count() == 3

    # The policy document with its PDF attachment.
    document = PolicyDocumentPage.objects.get(document_number="联防联控机制发〔2020〕39号", locale=locales["zh-hans"])
    attachment = document.attachments.get()
    with attachment.document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    document_html = html(client.get(document.url))
    assert "联防联控机制发〔2020〕39号" in document_html
    assert "患者、隔离人员及家属心理疏导和社会工作服务要点" in document_html and "(PDF," in document_html
    assert client.get(attachment.document.url).status_code == 200

    # The interpretation in 简体, in 繁體 (converted, with its 13 tasks) and in English.
    assert "解读：2020年全国社会心理服务体系建设试点" in html(
        client.get(PolicyInterpretationPage.objects.get(locale=locales["zh-hans"]).url)
    )
    english_interpretation = PolicyInterpretationPage.objects.get(locale=locales["en"])
    assert "13 tasks in three areas" in html(client.get(english_interpretation.url))
    interpretation = PolicyInterpretationPage.objects.get(locale=locales["zh-hant"])
    interpretation_html = html(client.get(interpretation.url))
    assert interpretation.url.startswith("/zh-hant/")
    assert "解讀：2020年全國社會心理服務體系建設試點" in interpretation_html
    assert "三方面13項任務" in interpretation_html
    tasks = re.findall(r"<p>[(（](十[一二三]?|[一二三四五六七八九])[)）]", interpretation_html)
    assert tasks == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]

    # The quick links of each home page lead to pages in that home page's language.
    for code, prefix in (("zh-hans", "/"), ("zh-hant", "/zh-hant/"), ("en", "/en/")):
        home = HomePage.objects.get(locale=locales[code])
        links = re.findall(r'class="quick-link[^"]*">\s*<a href="([^"]+)"', html(client.get(home.url)))
        assert len(links) == 4, code
        assert all(link.startswith(prefix) and link != prefix for link in links), (code, links)
        assert all(client.get(link, follow=True).status_code == 200 for link in links), (code, links)

    # English news.
    english_news = NewsArticlePage.objects.filter(locale=locales["en"]).live()
    assert english_news.count() == 2
    for article in english_news:
        assert article.url.startswith("/en/")
        assert article.title in html(client.get(article.url))

    # Partners in every language, shown on the home page.
    assert {locale: Partner.objects.filter(locale=locales[locale]).count() for locale in locales} == {
        "zh-hans": 4,
        "zh-hant": 4,
        "en": 4,
    }
    home_html = html(client.get("/"))
    assert "大连市民政局" in home_html and "腾讯公益" in home_html

    # The home page lists the pinned notices first (not the closed 2022 dues notice), then the newest ones:
    # the batch in its notice period.
    notices_panel = re.search(r'<section class="panel panel--notices".*?</section>', home_html, re.S).group(0)
    headlines = re.findall(r'<li>\s*<a href="[^"]+">([^<]+)</a>\s*(<span class="badge badge--pinned">)?', notices_panel)
    assert headlines[:3] == [
        (f"关于交纳{timezone.localdate().year}年会费的通知", '<span class="badge badge--pinned">'),
        ("对我市赴武汉驰援的医护人员提供两年义务心理咨询援助", '<span class="badge badge--pinned">'),
        ("关于报审第四批入库专家名单的通告", ""),
    ]
