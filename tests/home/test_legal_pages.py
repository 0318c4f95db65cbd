"""The charter, privacy policy and user agreement: published under the home page, linked from the footer
and beside the consent boxes of the sign-up, membership, expert and aid forms, each in the reader's language."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from wagtail.models import Page

from members.models import User
from tests.aid.factories import make_programme
from tests.conftest import make_user, sign_in, translate_page
from tests.experts.factories import login, make_applicant
from tests.home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

TITLES = {"charter": "协会章程", "privacy": "隐私政策", "terms": "用户协议"}
TITLES_EN = {"charter": "Articles of Association", "privacy": "Privacy Policy", "terms": "User Agreement"}


@pytest.fixture
def legal(home_page, locales) -> dict[str, Page]:
    """The three pages in 简体 and English; 繁體 has the privacy policy only (the others fall back to 简体)."""
    pages = {slug: StandardPageFactory(parent=home_page, slug=slug, title=title) for slug, title in TITLES.items()}
    translate_page(home_page, "en", title="Home")
    translate_page(home_page, "zh-hant", title="首頁")
    for slug, page in pages.items():
        translate_page(page, "en", title=TITLES_EN[slug])
    translate_page(pages["privacy"], "zh-hant", title="隱私政策")
    return pages


def links(response) -> dict[str, str]:
    """Link text -> address of every link on the page."""
    html = response.content.decode()
    return {
        re.sub(r"<[^>]+>", "", text).strip(): href
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', html, flags=re.S)
    }


def test_the_footer_links_the_legal_pages_in_the_readers_language(client, legal):
    simplified = links(client.get("/"))
    english = links(client.get("/en/"))
    traditional = links(client.get("/zh-hant/"))

    assert [simplified[title] for title in TITLES.values()] == ["/charter/", "/privacy/", "/terms/"]
    assert [english[title] for title in TITLES_EN.values()] == ["/en/charter/", "/en/privacy/", "/en/terms/"]
    assert traditional["隱私政策"] == "/zh-hant/privacy/" and traditional["协会章程"] == "/charter/"
    for url in ("/charter/", "/en/privacy/", "/zh-hant/privacy/"):
        assert client.get(url).status_code == 200


def test_an_unpublished_legal_page_leaves_the_footer(client, legal):
    legal["terms"].unpublish()

    footer = links(client.get("/"))

    assert "用户协议" not in footer and footer["隐私政策"] == "/privacy/"


def test_sign_up_needs_the_box_that_links_the_agreement_and_the_policy(client, legal):
    page = client.get(reverse("account_signup"))
    html = page.content.decode()
    found = links(page)

    assert "account/signup.html" in [t.name for t in page.templates]
    assert found["《用户协议》"] == "/terms/" and found["《隐私政策》"] == "/privacy/"
    assert re.search(r'<label for="id_terms_agreed">我已阅读并同意<a href="/terms/"', html)

    form = {"email": "zhang.wei@example.com", "password1": "Xinli-2026-dues", "password2": "Xinli-2026-dues"}
    refused = client.post(reverse("account_signup"), form)
    assert refused.status_code == 200 and "注册前请阅读并同意《用户协议》和《隐私政策》。" in refused.content.decode()
    assert not User.objects.filter(email="zhang.wei@example.com").exists()

    accepted = client.post(reverse("account_signup"), {**form, "terms_agreed": "on"})
    assert accepted.status_code == 302 and User.objects.filter(email="zhang.wei@example.com").exists()


def test_the_account_keeps_when_and_to_which_versions_its_owner_agreed(client, legal):
    legal["terms"].save_revision().publish()  # the agreement's second version is live
    form = {"email": "zhang.wei@example.com", "password1": "Xinli-2026-dues", "password2": "Xinli-2026-dues"}

    with time_machine.travel("2026-11-02 09:30 +0800", tick=False):
        client.post("/zh-hant/accounts/signup/", {**form, "terms_agreed": "on"})

    user = User.objects.get(email="zhang.wei@example.com")
    assert user.terms_agreed_at == datetime.datetime(2026, 11, 2, 1, 30, tzinfo=datetime.UTC)
    terms, privacy = (
        Page.objects.get(slug=slug, locale__language_code=language)
        for slug, language in (("terms", "zh-hans"), ("privacy", "zh-hant"))
    )
    # The 繁體 reader read the 繁體 privacy policy and, having no 繁體 translation, the 简体 agreement.
    assert user.terms_agreed == {
        "terms": {"language": "zh-hans", "revision": terms.live_revision_id},
        "privacy": {"language": "zh-hant", "revision": privacy.live_revision_id},
    }
    assert terms.live_revision_id == legal["terms"].revisions.order_by("-pk").first().pk


def test_sign_up_in_english_links_the_english_pages(client, legal):
    page = client.get("/en/accounts/signup/")
    found = links(page)

    assert found["User Agreement"] == "/en/terms/" and found["Privacy Policy"] == "/en/privacy/"
    assert "I have read and agree to the" in page.content.decode()
    refused = client.post("/en/accounts/signup/", {"email": "a@example.com", "password1": "x", "password2": "x"})
    assert "Please read and agree to the User Agreement and the Privacy Policy" in refused.content.decode()


def test_the_membership_form_links_the_charter_and_the_policy_beside_its_box(client, legal):
    sign_in(client, make_user("newcomer@example.com"))

    simplified = client.get(reverse("membership_apply"))
    traditional = client.get("/zh-hant/membership/apply/")

    assert links(simplified)["《协会章程》"] == "/charter/" and links(simplified)["《隐私政策》"] == "/privacy/"
    assert re.search(r'<label for="id_charter_agreed">我已阅读并同意<a href="/charter/"', simplified.content.decode())
    assert links(traditional)["《隱私政策》"] == "/zh-hant/privacy/"
    assert links(traditional)["《协会章程》"] == "/charter/"  # no 繁體 charter yet: the 简体 one


def test_the_expert_and_aid_forms_link_the_privacy_policy(client, legal, home_page):
    expert_form = login(make_applicant()).get(reverse("experts:apply"))
    programme = make_programme(home_page)
    aid_form = login(make_user("nurse@example.com")).get(programme.url + "register/")

    assert links(expert_form)["《隐私政策》"] == "/privacy/"
    assert links(aid_form)["《隐私政策》"] == "/privacy/"


def test_without_the_pages_the_forms_still_name_the_documents(client):
    page = client.get(reverse("account_signup")).content.decode()

    assert "我已阅读并同意《用户协议》和《隐私政策》" in page
