"""Account e-mails (sign-up, password, address, two-factor) come from the association: its name in the
subject and signature, the reader's language, and links to the site's configured address only."""

import re
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Site

from members.adapter import AccountAdapter
from portal.models import ContactSettings
from tests.conftest import make_user, sign_in, totp_code

pytestmark = pytest.mark.django_db

BASE = "https://portal.example.org"
ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
EMAIL_TEMPLATES = sorted(
    f"{folder}/{path.name}"
    for folder in ("account/email", "mfa/email")
    for path in (ALLAUTH_TEMPLATES / folder).glob("*.txt")
)
ENGLISH_WORDS = re.compile(r"\b(Hello|You|Your|Please|Thank|Email|Password|Account|Authenticator)\b")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def configured(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.organisation_name = "大连市心理咨询师协会"
    contact.organisation_name_en = "Dalian Psychological Counsellors Association"
    contact.phone = "0411-8888 0000"
    contact.save()
    return contact


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def test_every_email_allauth_can_send_is_the_sites_own():
    """allauth's own wording ("Hello from example.com!", 错误代码, 双因素) must never reach a reader."""
    assert len(EMAIL_TEMPLATES) > 30
    ours = Path(settings.BASE_DIR) / "templates"
    for name in EMAIL_TEMPLATES:
        assert get_template(name).origin.name == str(ours / name), name


@pytest.mark.parametrize("name", [n for n in EMAIL_TEMPLATES if n.endswith(("_message.txt", "_subject.txt"))])
def test_each_email_reads_in_chinese_and_english(name, configured):
    context = {
        "organisation": "大连市心理咨询师协会",
        "site_url": BASE,
        "email": "zhang.wei@example.com",
        "user_name": "张伟",
        "activate_url": f"{BASE}/accounts/confirm-email/key/",
        "password_reset_url": f"{BASE}/accounts/password/reset/key/1-key/",
        "signup_url": f"{BASE}/accounts/signup/",
        "from_email": "old@example.com",
        "to_email": "new@example.com",
        "deleted_email": "old@example.com",
        "code": "123456",
        "ip": "203.0.113.9",
        "user_agent": "Firefox",
        "timestamp": timezone.now(),
    }
    with translation.override("zh-hans"):
        chinese = render_to_string(name, context)
    with translation.override("en"):
        english = render_to_string(name, dict(context, organisation="Dalian Psychological Counsellors Association"))

    assert CJK.search(chinese) and not ENGLISH_WORDS.search(chinese), chinese
    assert "双因素" not in chinese and "Hello" not in chinese
    assert not CJK.search(english.replace("张伟", "")), english
    assert "Hello from" not in english


def test_sign_up_confirmation_names_the_association_and_links_to_the_configured_address(client, configured):
    client.post(
        reverse("account_signup"),
        {
            "email": "zhang.wei@example.com",
            "password1": "Xinli-2026-dues",
            "password2": "Xinli-2026-dues",
            "terms_agreed": "on",
        },
        HTTP_HOST="evil.example",
    )

    (message,) = mail.outbox
    assert message.subject == "【大连市心理咨询师协会】请确认您的电子邮箱"
    assert "您好：" in message.body and "大连市心理咨询师协会" in message.body
    assert "0411-8888 0000" in message.body
    links = _links(message.body)
    assert f"{BASE}/accounts/confirm-email/" in message.body
    assert links and all(link.startswith(BASE) for link in links)
    assert "evil.example" not in message.body and "testserver" not in message.body


def test_a_forged_host_header_never_reaches_a_password_reset_link(client, configured, member):
    client.post(reverse("account_reset_password"), {"email": member.email}, HTTP_HOST="evil.example")

    (message,) = mail.outbox
    assert message.subject == "【大连市心理咨询师协会】重设账户密码"
    (link,) = [link for link in _links(message.body) if "/password/reset/key/" in link]
    assert link.startswith(f"{BASE}/accounts/password/reset/key/")
    assert "evil.example" not in message.body
    # The link works on the site itself.
    path = link.removeprefix(BASE)
    assert client.get(path, follow=True).status_code == 200


def test_a_reset_for_an_unknown_address_says_so_in_the_associations_words(client, configured):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.com"}, HTTP_HOST="evil.example")

    (message,) = mail.outbox
    assert message.subject == "【大连市心理咨询师协会】没有找到这个电子邮箱的账户"
    assert f"{BASE}/accounts/signup/" in message.body
    assert "evil.example" not in message.body


def test_english_readers_get_english_emails_with_english_links(client, configured, member):
    client.post("/en/accounts/password/reset/", {"email": member.email})

    (message,) = mail.outbox
    assert message.subject == "[Dalian Psychological Counsellors Association] Reset your password"
    assert "Hello" in message.body and "Dalian Psychological Counsellors Association" in message.body
    assert not CJK.search(message.body)
    assert f"{BASE}/en/accounts/password/reset/key/" in message.body


def test_traditional_readers_get_traditional_chinese(client, configured, member):
    client.post("/zh-hant/accounts/password/reset/", {"email": member.email})

    (message,) = mail.outbox
    assert message.subject == "【大連市心理諮詢師協會】重設帳號密碼"
    assert "帳號" in message.body and "账户" not in message.body
    assert f"{BASE}/zh-hant/accounts/password/reset/key/" in message.body


def test_the_name_comes_from_the_site_settings(client, configured, member):
    configured.organisation_name = "大连市心理卫生协会"
    configured.save()

    client.post(reverse("account_reset_password"), {"email": member.email})

    assert mail.outbox[0].subject.startswith("【大连市心理卫生协会】")
    assert "大连市心理卫生协会" in mail.outbox[0].body


def test_a_password_change_is_reported_to_the_owner_with_where_it_came_from(client, configured):
    user = make_user("li.na@example.com", password="Old-pass-2026")
    user.full_name = "李娜"
    user.save()
    sign_in(client, user)

    client.post(
        reverse("account_change_password"),
        {"oldpassword": "Old-pass-2026", "password1": "New-pass-2026!", "password2": "New-pass-2026!"},
        REMOTE_ADDR="203.0.113.9",
    )

    (message,) = mail.outbox
    assert message.subject == "【大连市心理咨询师协会】账户密码已修改"
    assert message.body.startswith("李娜，您好：")
    assert "您的账户密码已修改。" in message.body
    assert "IP地址：203.0.113.9" in message.body and "（北京时间）" in message.body


def test_setting_up_two_factor_is_reported_in_the_sites_words(client, configured, django_capture_on_commit_callbacks):
    from allauth.mfa.models import Authenticator

    user = make_user("new.staff@example.com", two_factor=False)
    client.post(reverse("account_login"), {"login": user.email, "password": "pw"})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert Authenticator.objects.filter(user=user, type="totp").exists()
    subjects = [message.subject for message in mail.outbox]
    assert "【大连市心理咨询师协会】两步验证已启用" in subjects
    body = next(m.body for m in mail.outbox if m.subject.endswith("两步验证已启用"))
    assert "两步验证" in body and "双因素" not in body


def test_the_subject_is_prefixed_once_with_the_name_in_each_language(configured):
    adapter = AccountAdapter()
    with translation.override("zh-hans"):
        assert adapter.format_email_subject("密码已修改") == "【大连市心理咨询师协会】密码已修改"
    with translation.override("zh-hant"):
        assert adapter.format_email_subject("密碼已修改") == "【大連市心理諮詢師協會】密碼已修改"
    with translation.override("en"):
        assert adapter.format_email_subject("Password changed") == (
            "[Dalian Psychological Counsellors Association] Password changed"
        )
