"""Setting up two-factor, as a new member of staff meets it on their first visit to the admin: one
word for it everywhere (两步验证), no second password prompt moments after signing in, the recovery
codes on a page of the site's own with a button back to where they were going."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.roles import MEMBERSHIP_OFFICERS
from tests.conftest import make_user, sign_in, totp_code

pytestmark = pytest.mark.django_db

ALLAUTH_WORDING = ("双因素", "错误代码", "多因素", "Two-Factor Authentication", "Authenticator code")
ASCII_BESIDE_CHINESE = re.compile(r"[\u4e00-\u9fff][,:;()!?]|[,:;()!?][\u4e00-\u9fff]")


def _main(response) -> str:
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def _new_staff(client):
    user = make_user("new.officer@example.com", two_factor=False)
    user.groups.add(Group.objects.get(name=MEMBERSHIP_OFFICERS))
    client.post(reverse("account_login"), {"login": user.email, "password": "pw"})
    return user


def test_the_first_set_up_flows_back_to_the_admin(client):
    _new_staff(client)

    sent = client.get(reverse("wagtailadmin_home"))
    setup = client.get(sent["Location"])
    secret = client.session["mfa.totp.secret"]
    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    codes = client.get(activated["Location"])

    assert setup.status_code == 200  # no password prompt straight after signing in
    assert activated["Location"] == reverse("mfa_view_recovery_codes")
    assert codes.status_code == 200  # nor before the recovery codes
    page = _main(codes)
    assert len(re.findall(r"<li><code>[\w-]+</code></li>", page)) == 10
    assert '<a class="button" href="/admin/">已保存，继续</a>' in page
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_someone_setting_up_of_their_own_accord_continues_to_their_settings(client, member):
    sign_in(client, member)
    client.get(reverse("mfa_activate_totp"))

    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(client.session["mfa.totp.secret"])})

    assert f'href="{reverse("mfa_index")}">已保存，继续' in _main(client.get(activated["Location"]))


def test_a_continue_address_from_elsewhere_is_not_followed(client, member):
    sign_in(client, member)
    session = client.session
    session["portal.two_factor_going_to"] = "https://evil.example/"
    session.save()
    client.get(reverse("mfa_activate_totp"))

    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(client.session["mfa.totp.secret"])})

    assert "evil.example" not in client.get(activated["Location"]).content.decode()


def test_the_set_up_page_speaks_the_sites_words_and_shows_the_whole_secret(client):
    _new_staff(client)
    client.get(reverse("wagtailadmin_home"))

    page = _main(client.get(reverse("mfa_activate_totp")))
    secret = client.session["mfa.totp.secret"]
    wrong = _main(
        client.post(reverse("mfa_activate_totp"), {"code": "000000" if totp_code(secret) != "000000" else "1"})
    )

    assert "启用两步验证" in page and "验证码" in page
    assert f'<code class="mfa-secret__value" id="authenticator_secret">{secret}</code>' in page
    assert "验证码不正确" in wrong
    for text in (page, wrong):
        assert not any(word in text for word in ALLAUTH_WORDING), [w for w in ALLAUTH_WORDING if w in text]
        assert not ASCII_BESIDE_CHINESE.search(re.sub(r"<[^>]+>", "", text))


@pytest.mark.parametrize(
    ("prefix", "expected", "absent"),
    [
        ("/zh-hant", ("啟用兩步驟驗證", "金鑰："), ("雙重驗證", "二階驗證", "双因素")),
        ("/en", ("Turn on two-factor authentication", "Secret key:"), ("启用", "Activate Authenticator App")),
    ],
)
def test_the_set_up_page_in_traditional_chinese_and_english(client, member, prefix, expected, absent):
    sign_in(client, member)

    page = _main(client.get(f"{prefix}/accounts/2fa/totp/activate/"))

    assert all(text in page for text in expected), page
    assert not any(text in page for text in absent)


def test_the_sign_in_code_page_and_the_settings_page_say_two_step_verification(client, editor):
    client.post(reverse("account_login"), {"login": editor.email, "password": "pw"})
    stage = _main(client.get(reverse("mfa_authenticate")))
    wrong = _main(client.post(reverse("mfa_authenticate"), {"code": "abcdef"}))
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    settings_page = _main(client.get(reverse("mfa_index")))

    assert "两步验证" in stage and "恢复码" in stage
    assert "验证码不正确" in wrong
    assert "两步验证" in settings_page and "身份验证器应用" in settings_page
    for text in (stage, wrong, settings_page):
        assert not any(word in text for word in ALLAUTH_WORDING)
