"""A reader's journey through the public site in a real browser."""

import re
import time

import pytest
from playwright.sync_api import expect

from notices.models import ArticleAttachment, ArticlePage
from tests.conftest import translate_page
from tests.home.factories import DocumentFactory
from tests.notices.factories import NoticeIndexPageFactory, NoticePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(home_page):
    index = NoticeIndexPageFactory(parent=home_page, show_in_menus=True)
    older = NoticePageFactory(parent=index, title="关于交纳2019年会费的通知", slug="dues-2019")
    latest = NoticePageFactory(parent=index, title="关于召开协会第四届三次理事会议的通知", slug="council")
    older.date, latest.date = older.date.replace(year=2019), latest.date.replace(year=2022)
    older.save()
    latest.save()
    ArticleAttachment.objects.create(page=latest, document=DocumentFactory(title="会议议程"), sort_order=0)
    ArticleAttachment.objects.create(page=latest, document=DocumentFactory(title="参会回执"), sort_order=1)
    translate_page(home_page, "en", title="Dalian Psychological Counsellors Association")
    return {"latest": latest, "dues": older}


def test_read_latest_notice_search_and_switch_language(page, site):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    # The latest notice is the first on the home page; follow it and read its attachments.
    first_notice = page.locator(".panel--notices .headline-list a").first
    expect(first_notice).to_have_text("关于召开协会第四届三次理事会议的通知")
    first_notice.click()
    expect(page.locator("h1")).to_have_text("关于召开协会第四届三次理事会议的通知")
    attachments = page.get_by_role("region", name="附件").get_by_role("listitem")
    expect(attachments).to_have_count(2)
    expect(attachments.first).to_contain_text("会议议程")
    expect(attachments.first).to_contain_text("PDF")

    # Search for 会费 from the header and open the result.
    page.get_by_label("搜索本站").fill("会费")
    page.get_by_label("搜索本站").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    result = page.locator(".search-result h2 a").first
    expect(result).to_contain_text("会费")
    expect(page.locator(".search-result mark").first).to_have_text("会费")
    result.click()
    expect(page.locator("h1")).to_have_text("关于交纳2019年会费的通知")

    # Switch to English (no English notice: the English home page), then back to 简体.
    page.get_by_role("navigation", name="语言").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/en/$"))
    page.locator(".language-switcher").get_by_role("link", name="简体").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page).to_have_url(re.compile(r"/$"))


def test_phone_layout_has_working_menu_without_javascript(browser, live_server, site):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    tab = context.new_page()
    tab.goto("/")
    menu = tab.locator("details.phone-menu")
    expect(menu.get_by_role("link", name="通知公告")).to_be_hidden()
    menu.locator("summary").click()  # a <details> disclosure: it opens without JavaScript
    expect(menu.get_by_role("navigation", name="主导航").get_by_role("link", name="通知公告")).to_be_visible()
    # Nothing is wider than the phone's screen.
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_the_browser_reports_each_view_of_a_notice_when_the_beacon_is_on(page, site, settings):
    """As behind a CDN: the page itself counts nothing, the reader's browser reports the view."""
    settings.VIEW_COUNT_BEACON = True
    settings.PAGE_CACHE_ENABLED = True
    notice = site["dues"]

    with page.expect_request(lambda request: request.method == "POST" and "/views/" in request.url) as sent:
        page.goto(notice.url)
    assert sent.value.response().status == 204
    page.goto(notice.url)  # the second view: from the page cache, still counted

    expect(page.get_by_role("heading", level=1)).to_have_text("关于交纳2019年会费的通知")
    deadline = time.monotonic() + 10
    while ArticlePage.objects.get(pk=notice.pk).displayed_view_count < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ArticlePage.objects.get(pk=notice.pk).displayed_view_count == 2
