"""Three languages: the language switcher, <html lang>, interface strings and 简体 -> 繁體 machine translation."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import StringTranslation, Translation
from wagtail_localize.strings import StringValue

from notices.models import NoticePage
from portal.localization.services import machine_translate
from portal.localization.translator import OpenCCTranslator
from tests.conftest import sign_in, translate_page
from tests.notices.factories import NoticeIndexPageFactory, NoticePageFactory, body
from tests.portal.factories import html, translate_tree, translation_of

SWITCHER_LINK = re.compile(r'<a href="([^"]*)" lang="([^"]+)" hreflang="[^"]+"')
ENGLISH_CATALOGUE = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.mo"


def switcher(response) -> dict[str, str]:
    """The language switcher's links: language code -> URL."""
    assert response.status_code == 200
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html(response), re.S)
    assert nav, "the page has no language switcher"
    return {code.lower(): url for url, code in SWITCHER_LINK.findall(nav.group(0))}


def messages(response) -> list[str]:
    return [str(message.message).strip() for message in response.context["messages"]]


@pytest.fixture
def notice(home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    return NoticePageFactory(
        parent=index,
        title="关于交纳2019年会费的通知",
        slug="dues-2019",
        summary="请各位会员按时交纳2019年会费。",
        body=body("会员应于3月31日前交纳年度会费。"),
    )


# Language switcher and <html lang> --------------------------------------------------------------


@pytest.mark.django_db
def test_switcher_links_to_the_translations_of_the_page(client, notice):
    hant = translate_tree(notice, "zh-hant", title="關於交納2019年會費的通知")
    english = translate_tree(notice, "en", title="Notice on the 2019 membership fees")

    links = switcher(client.get(notice.url))
    links_from_english = switcher(client.get(english.url))

    assert links == {
        "zh-hans": "/notices/dues-2019/",
        "zh-hant": "/zh-hant/notices/dues-2019/",
        "en": "/en/notices/dues-2019/",
    }
    assert hant.url == links["zh-hant"] and english.url == links["en"]
    assert links_from_english == links
    assert 'lang="zh-Hans" hreflang="zh-Hans" aria-current="true"' in html(client.get(notice.url))
    assert client.get(links["zh-hant"]).status_code == 200
    assert "Notice on the 2019 membership fees" in html(client.get(links["en"]))


@pytest.mark.django_db
def test_switcher_links_to_the_english_home_page_when_the_page_is_not_translated(client, home_page, notice):
    translate_tree(notice, "zh-hant", title="關於交納2019年會費的通知")
    translate_page(home_page, "en", title="Dalian Psychological Counsellors Association")

    links = switcher(client.get(notice.url))

    assert links["en"] == "/en/"
    assert links["zh-hant"] == "/zh-hant/notices/dues-2019/"


@pytest.mark.django_db
def test_switcher_on_the_search_page_keeps_the_query(client, home_page):
    translate_page(home_page, "zh-hant")
    translate_page(home_page, "en")

    links = switcher(client.get("/search/", {"q": "会费"}))

    assert links["en"] == "/en/search/?q=%E4%BC%9A%E8%B4%B9"
    assert links["zh-hant"] == "/zh-hant/search/?q=%E4%BC%9A%E8%B4%B9"
    assert links["zh-hans"] == "/search/?q=%E4%BC%9A%E8%B4%B9"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "language"), [("/", "zh-hans"), ("/zh-hant/", "zh-hant"), ("/en/", "en"), ("/en/search/", "en")]
)
def test_html_lang_matches_the_language(client, home_page, url, language):
    translate_page(home_page, "zh-hant", title="大連市心理諮詢師協會")
    translate_page(home_page, "en", title="Dalian Psychological Counsellors Association")

    response = client.get(url)

    assert response.status_code == 200
    assert f'<html lang="{language}">' in html(response)


@pytest.mark.django_db
@pytest.mark.skipif(not ENGLISH_CATALOGUE.exists(), reason="catalogue not compiled yet")
def test_interface_strings_are_translated_on_the_english_site(client, home_page):
    translate_page(home_page, "en", title="Dalian Psychological Counsellors Association")
    skip_link = re.compile(r'<a class="skip-link" href="#main">([^<]+)</a>')

    chinese = skip_link.search(html(client.get("/"))).group(1)
    english = skip_link.search(html(client.get("/en/"))).group(1)

    assert chinese == "跳到正文"
    assert english.strip() and english != chinese
    assert not re.search(r"[\u4e00-\u9fff]", english)


# The OpenCC machine translator ------------------------------------------------------------------


@pytest.mark.django_db
def test_opencc_translates_between_the_chinese_scripts_only(locales):
    translator = OpenCCTranslator({})

    assert translator.can_translate(locales["zh-hans"], locales["zh-hant"])
    assert translator.can_translate(locales["zh-hant"], locales["zh-hans"])
    assert not translator.can_translate(locales["zh-hans"], locales["en"])
    assert not translator.can_translate(locales["en"], locales["zh-hant"])


@pytest.mark.django_db
def test_opencc_converts_html_strings_and_leaves_markup_alone(locales):
    translator = OpenCCTranslator({})
    strings = [StringValue('<a href="/x/">会费通知</a>'), StringValue("心理咨询师协会")]

    to_traditional = translator.translate(locales["zh-hans"], locales["zh-hant"], strings)
    back = translator.translate(locales["zh-hant"], locales["zh-hans"], [StringValue("關於交納會費的通知")])

    assert to_traditional[strings[0]].data == '<a href="/x/">會費通知</a>'
    assert to_traditional[strings[1]].data == "心理諮詢師協會"
    assert back[StringValue("關於交納會費的通知")].data == "关于交纳会费的通知"


# One-step machine translation of a page --------------------------------------------------------


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """wagtail-localize publishes a translation on commit; inside a test transaction that never comes."""
    return django_capture_on_commit_callbacks


def translate_ancestors(page, locale, user, committed):
    for ancestor in page.get_ancestors().filter(depth__gt=1):
        if translation_of(ancestor, locale.language_code) is None:
            with committed(execute=True):
                machine_translate(ancestor, locale, user)


@pytest.mark.django_db
def test_machine_translate_creates_a_live_traditional_page(client, notice, locales, superuser, committed):
    translate_ancestors(notice, locales["zh-hant"], superuser, committed)

    with committed(execute=True):
        hant = machine_translate(notice, locales["zh-hant"], superuser)

    hant = NoticePage.objects.get(pk=hant.pk)
    assert hant.live and hant.locale == locales["zh-hant"]
    assert hant.title == "關於交納2019年會費的通知"
    assert hant.summary == "請各位會員按時交納2019年會費。"
    assert str(hant.body[0].value) == "<p>會員應於3月31日前交納年度會費。</p>"
    assert hant.get_parent().specific == translation_of(notice.get_parent(), "zh-hant")
    assert hant.url == "/zh-hant/notices/dues-2019/"
    page_html = html(client.get(hant.url))
    assert "<h1>關於交納2019年會費的通知</h1>" in page_html
    assert "會員應於3月31日前交納年度會費。" in page_html
    # The 简体 original is unchanged.
    assert "<h1>关于交纳2019年会费的通知</h1>" in html(client.get(notice.url))


@pytest.mark.django_db
def test_machine_translate_again_updates_the_translation(client, notice, locales, superuser, committed):
    translate_ancestors(notice, locales["zh-hant"], superuser, committed)
    with committed(execute=True):
        first = machine_translate(notice, locales["zh-hant"], superuser)
    notice.title = "关于交纳2020年会费的通知"
    notice.body = body("会员应于4月30日前交纳年度会费。")
    notice.save_revision().publish()

    with committed(execute=True):
        second = machine_translate(notice, locales["zh-hant"], superuser)

    assert second.pk == first.pk
    hant = NoticePage.objects.get(pk=first.pk)
    assert hant.title == "關於交納2020年會費的通知"
    assert str(hant.body[0].value) == "<p>會員應於4月30日前交納年度會費。</p>"
    assert Page.objects.filter(translation_key=notice.translation_key, locale=locales["zh-hant"]).count() == 1
    assert "關於交納2020年會費的通知" in html(client.get(hant.url))


@pytest.mark.django_db
def test_admin_machine_translate_button_uses_opencc(client, notice, locales, superuser, committed):
    translate_ancestors(notice, locales["zh-hant"], superuser, committed)
    sign_in(client, superuser)
    submitted = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[notice.pk]),
        {"locales": [locales["zh-hant"].pk]},
    )
    translation = Translation.objects.get(source__object_id=notice.translation_key, target_locale=locales["zh-hant"])
    edit_url = reverse("wagtailadmin_pages:edit", args=[translation.get_target_instance().pk])

    response = client.post(
        reverse("wagtail_localize:machine_translate", args=[translation.pk]), {"next": edit_url}, follow=True
    )
    again = client.post(
        reverse("wagtail_localize:machine_translate", args=[translation.pk]), {"next": edit_url}, follow=True
    )

    assert submitted.status_code == 302
    assert response.redirect_chain == [(edit_url, 302)]
    assert any("OpenCC 简繁转换" in message for message in messages(response))
    translated = set(StringTranslation.objects.filter(locale=locales["zh-hant"]).values_list("data", flat=True))
    assert {"關於交納2019年會費的通知", "請各位會員按時交納2019年會費。"} <= translated
    preview = client.get(reverse("wagtail_localize:preview_translation", args=[translation.pk]))
    assert "關於交納2019年會費的通知" in html(preview)
    # Nothing is left to translate the second time.
    assert again.status_code == 200 and len(messages(again)) == 1
    assert not any("OpenCC" in message for message in messages(again))
