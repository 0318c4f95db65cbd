"""What every page draws around its content: the menu on a phone, the text size switch, the helpline,
the 备案 filings and 公众号 QR code in the footer, share cards, and the error pages."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error
from wagtail.models import Site

from portal.models import ContactSettings
from tests.conftest import translate_page
from tests.home.factories import (
    ContactPageFactory,
    CounsellingCentrePageFactory,
    ImageFactory,
    StandardPageFactory,
)
from tests.notices.factories import NoticeIndexPageFactory, NoticePageFactory
from tests.portal.factories import translate_tree

pytestmark = pytest.mark.django_db

SECTIONS = ["通知公告", "行业资讯", "政策解读", "科普", "专家风采", "志愿服务", "心理援助", "关于我们", "联系我们"]


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200 or response.status_code == 404, response.status_code
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def contact():
    settings = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    settings.phone = "0411-39768800"
    settings.save()
    return settings


@pytest.fixture
def sections(home_page):
    return [
        StandardPageFactory(parent=home_page, title=title, slug=f"section-{number}", show_in_menus=True)
        for number, title in enumerate(SECTIONS)
    ]


def test_every_section_and_the_member_areas_are_behind_the_phone_menu_button(client, sections):
    page = soup(client.get("/"))

    menu = page.select_one("header details.phone-menu")
    assert menu is not None and menu.select_one("summary").get_text(strip=True) == "栏目"
    links = {a.get_text(strip=True): a["href"] for a in menu.select("nav a")}
    assert links["首页"] == "/"
    for section in sections:
        assert links[section.title] == section.url
    assert links["会员中心"] == "/membership/" and links["专家库"] == "/experts/"
    # The desktop keeps its full menu bar.
    bar = [a.get_text(strip=True) for a in page.select("nav.main-nav a")]
    assert bar == ["首页", *SECTIONS]


def test_the_phone_menu_marks_the_section_shown_and_speaks_english_in_english(client, sections, home_page):
    english_home = translate_page(home_page, "en", title="Home")
    about = translate_page(sections[7], "en", title="About us")
    page = soup(client.get(about.url))

    menu = page.select_one("details.phone-menu")
    assert menu.select_one("summary").get_text(strip=True) == "Menu"
    current = menu.select_one("a[aria-current=page]")
    assert (current.get_text(strip=True), current["href"]) == ("About us", about.url)
    links = {a.get_text(strip=True): a["href"] for a in menu.select("a")}
    assert links["Home"] == english_home.url == "/en/"
    assert links["Member centre"] == "/en/membership/" and links["Experts"] == "/en/experts/"


def test_the_text_size_switch_is_for_script_only_and_no_script_is_inline(client, home_page):
    page = soup(client.get("/"))

    switch = page.select_one("[data-text-size]")
    assert switch.has_attr("hidden")  # without JavaScript it cannot work, so it is not offered
    assert [b.get_text(strip=True) for b in switch.select("button")] == ["标准", "大字"]
    scripts = page.select("script")
    assert [s["src"] for s in scripts] == ["/static/js/portal.js"]
    assert all(not s.string for s in scripts)


@pytest.mark.parametrize(
    ("language", "name", "emergency"),
    [
        ("zh-hans", "心理援助热线", "紧急情况请拨打"),
        ("zh-hant", "心理援助熱線", "緊急情況請撥打"),
        ("en", "Psychological support helpline", "In an emergency call"),
    ],
)
def test_the_helpline_is_on_the_home_contact_and_centre_pages(client, home_page, contact, language, name, emergency):
    contact_page = ContactPageFactory(parent=home_page)
    centre = CounsellingCentrePageFactory(parent=home_page)
    pages = [home_page, contact_page, centre]
    if language != "zh-hans":
        pages = [
            translate_page(home_page, language),
            translate_page(contact_page, language),
            translate_page(centre, language),
        ]

    for target in pages:
        banner = soup(client.get(target.url)).select_one("aside.hotline")
        assert banner is not None, target.url
        text = banner.get_text(" ", strip=True)
        assert name in text and emergency in text
        assert [a["href"] for a in banner.select("a")] == ["tel:12356", "tel:110", "tel:120"]


def test_the_helpline_follows_the_settings(client, home_page, contact):
    contact.hotline_name, contact.hotline_number, contact.emergency_numbers = (
        "大连市心理援助热线",
        "0411-84689595",
        "110",
    )
    contact.save()

    banner = soup(client.get("/")).select_one("aside.hotline")

    assert "大连市心理援助热线" in banner.get_text()
    assert [a["href"] for a in banner.select("a")] == ["tel:041184689595", "tel:110"]


def test_the_footer_links_the_filings_and_shows_the_qr_code(client, home_page, contact):
    contact.icp_number = "辽ICP备12345678号-1"
    contact.public_security_number = "辽公网安备21020202000123号"
    contact.wechat_account = "大连市心理咨询师"
    contact.wechat_qr = ImageFactory(title="公众号二维码")
    contact.save()

    for url in ("/", "/search/"):
        footer = soup(client.get(url)).select_one("footer.site-footer")
        icp = footer.find("a", string="辽ICP备12345678号-1")
        police = footer.find("a", string="辽公网安备21020202000123号")
        assert icp["href"] == "https://beian.miit.gov.cn/"
        assert police["href"] == "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=21020202000123"
        qr = footer.select_one(".footer-qr img")
        assert "/images/" in qr["src"] and qr["alt"]
        assert "大连市心理咨询师" in footer.select_one(".footer-qr figcaption").get_text()


def test_without_filings_or_qr_code_the_footer_shows_none(client, home_page):
    footer = soup(client.get("/")).select_one("footer.site-footer")

    assert footer.select(".site-footer__filings") == [] and footer.select(".footer-qr") == []
    assert "beian" not in str(footer)


def test_the_contact_page_shows_the_qr_code_and_the_details_from_the_settings(client, home_page, contact):
    contact.wechat_qr = ImageFactory(title="公众号二维码")
    contact.email = "secretariat@example.org"
    contact.save()
    page = soup(client.get(ContactPageFactory(parent=home_page).url))

    card = page.select_one(".contact-card")
    assert card.select_one("img")["src"].startswith("/media/images/")
    assert card.select_one("a[href='tel:041139768800']") is not None
    assert card.select_one("a[href='mailto:secretariat@example.org']") is not None


def test_the_home_pages_contact_panel_leads_to_the_contact_page(
    client, home_page, contact, django_capture_on_commit_callbacks
):
    assert soup(client.get("/")).select_one(".panel--contact .more") is None  # no contact page yet

    with django_capture_on_commit_callbacks(execute=True):
        ContactPageFactory(parent=home_page).save_revision().publish()  # publishing purges the home page
    panel = soup(client.get("/")).select_one(".panel--contact")

    assert panel.select_one(".more")["href"] == "/contact/"
    assert panel.select_one("a.button") is None


def test_every_page_has_a_description_and_a_share_image(client, home_page, contact):
    contact.description = "大连市心理咨询师协会官方网站。"
    contact.description_en = "The association's own website."
    contact.share_image = ImageFactory(title="分享图片")
    contact.save()
    own = StandardPageFactory(parent=home_page, slug="own", search_description="本页自己的简介。", intro="")
    plain = StandardPageFactory(parent=home_page, slug="plain", intro="")
    english = translate_tree(plain, "en", title="Plain")

    def head(url):
        page = soup(client.get(url))
        return page.select_one("meta[name=description]")["content"], page.select_one("meta[property='og:image']")

    assert head(own.url)[0] == "本页自己的简介。"
    assert head(plain.url)[0] == "大连市心理咨询师协会官方网站。"
    assert head(english.url)[0] == "The association's own website."
    assert head("/search/")[0] == "大连市心理咨询师协会官方网站。"
    for url in (own.url, plain.url, "/search/", "/"):
        image = head(url)[1]
        assert (
            image is not None
            and image["content"].startswith("http://localhost/")
            and ".fill-1200x630" in image["content"]
        )


def test_an_article_shares_its_own_picture_once(client, home_page, contact):
    contact.share_image = ImageFactory(title="分享图片")
    contact.save()
    index = NoticeIndexPageFactory(parent=home_page)
    article = NoticePageFactory(parent=index, slug="with-picture", listing_image=ImageFactory(title="活动照片"))

    images = soup(client.get(article.url)).select("meta[property='og:image']")

    assert len(images) == 1
    own = article.listing_image.get_rendition("fill-1200x630").url
    assert images[0]["content"] == "http://localhost" + own


def test_a_page_offers_its_address_and_qr_code_to_share(client, home_page):
    page = StandardPageFactory(parent=home_page, slug="about", title="关于我们")
    share = soup(client.get("/about/")).select_one("details.share")

    assert share.select_one("input#share-url")["value"] == "http://testserver/about/"
    assert share.select_one("button[data-copy]").has_attr("hidden")  # copying needs JavaScript
    qr = client.get(share.select_one("img")["src"])
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg") or b"<svg" in qr.content[:200]
    assert "public" in qr["Cache-Control"] and "max-age" in qr["Cache-Control"]
    assert page.url == "/about/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "about", "/a b", "/" + "x" * 500, ""])
def test_the_qr_code_is_only_made_for_addresses_on_this_site(client, target):
    assert client.get("/share/qr.svg", {"u": target}).status_code == 404


@pytest.mark.parametrize(
    ("prefix", "heading", "search"),
    [("", "页面不存在", "搜索"), ("/zh-hant", "頁面不存在", "搜尋"), ("/en", "Page not found", "Search")],
)
def test_the_404_page_offers_search_and_the_way_home(client, home_page, prefix, heading, search):
    if prefix:
        translate_page(home_page, prefix.strip("/"))
    response = client.get(f"{prefix}/no-such-page/")

    assert response.status_code == 404
    page = soup(response)
    assert page.select_one("h1").get_text(strip=True) == heading
    form = page.select_one(".error-page form[role=search]")
    assert form["action"] == f"{prefix}/search/" and form.select_one("button").get_text(strip=True) == search
    assert page.select_one(".error-page a.button")["href"] == f"{prefix}/"


@pytest.mark.parametrize(
    ("language", "heading", "home"),
    [
        ("zh-hans", "服务器暂时出现问题", "/"),
        ("zh-hant", "伺服器暫時出現問題", "/zh-hant/"),
        ("en", "Something went wrong on our side", "/en/"),
    ],
)
def test_the_500_page_needs_no_database_and_speaks_the_readers_language(
    django_assert_num_queries, language, heading, home
):
    request = RequestFactory().get("/")
    with translation.override(language), django_assert_num_queries(0):
        response = server_error(request)

    assert response.status_code == 500
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("h1").get_text(strip=True) == heading
    assert page.select_one("form[role=search]") is not None
    assert page.select_one("a.button")["href"] == home


def test_make_run_shows_the_real_404_page(client, home_page, settings):
    settings.DEBUG = True
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "portal.devtools.SiteNotFoundMiddleware"]
    cache.clear()

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode() and "Using the URLconf" not in response.content.decode()


def alternates(response) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in soup(response).select("link[rel=alternate]")}


def test_a_translated_page_names_each_language_for_search_engines(client, home_page):
    page = StandardPageFactory(parent=home_page, slug="about", title="关于我们")
    translate_tree(page, "en", title="About us")

    found = alternates(client.get("/about/"))

    # 繁體 has no translation of this page: it is not offered as one.
    assert found == {"zh-hans": "http://localhost/about/", "en": "http://localhost/en/about/"}


def test_a_view_that_is_not_a_page_is_named_on_the_sites_own_host(client, home_page):
    found = alternates(client.get("/search/", HTTP_HOST="portal.example.org"))

    assert found == {
        "zh-hans": "http://localhost/search/",
        "zh-hant": "http://localhost/zh-hant/search/",
        "en": "http://localhost/en/search/",
    }
