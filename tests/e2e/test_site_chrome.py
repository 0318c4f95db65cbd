"""The site chrome in a real browser: the phone menu, the 大字 switch, copying a page's address."""

import pytest
from playwright.sync_api import expect

from tests.home.factories import StandardPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = ["通知公告", "行业资讯", "政策解读", "科普", "专家风采", "志愿服务", "心理援助", "关于我们", "联系我们"]


@pytest.fixture
def sections(home_page):
    return [
        StandardPageFactory(parent=home_page, title=title, slug=f"section-{number}", show_in_menus=True)
        for number, title in enumerate(SECTIONS)
    ]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def test_on_a_phone_every_section_is_one_tap_away_with_targets_big_enough(phone, sections):
    phone.goto("/")
    expect(phone.locator("nav.main-nav")).to_be_hidden()
    button = phone.locator("summary.phone-menu__button")
    assert button.bounding_box()["height"] >= 44 and button.bounding_box()["width"] >= 44

    button.click()
    links = phone.locator(".phone-menu__panel a")
    expect(links).to_have_count(len(SECTIONS) + 3)  # the home page, the sections, 会员中心 and 专家库
    for index in range(links.count()):
        link = links.nth(index)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["height"] >= 44, link.inner_text()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, link.inner_text()

    phone.get_by_role("link", name="心理援助").click()
    expect(phone.locator("h1")).to_have_text("心理援助")


def test_the_desktop_keeps_the_menu_bar(page, sections):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/")
    expect(page.locator("summary.phone-menu__button")).to_be_hidden()
    for title in SECTIONS:
        expect(page.locator("nav.main-nav").get_by_role("link", name=title)).to_be_visible()


def test_large_text_is_remembered_from_page_to_page(phone, sections):
    phone.goto("/")
    normal = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    phone.get_by_role("button", name="大字").click()
    expect(phone.locator("html")).to_have_class("text-large")
    expect(phone.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "true")

    phone.goto(sections[0].url)
    expect(phone.locator("html")).to_have_class("text-large")
    large = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert large >= normal * 1.2

    phone.get_by_role("button", name="标准").click()
    phone.reload()
    expect(phone.locator("html")).not_to_have_class("text-large")


def test_no_text_on_a_phone_is_smaller_than_14_pixels(phone, sections):
    phone.goto(sections[0].url)
    sizes = phone.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
            .filter(e => e.offsetParent !== null && !e.closest('.visually-hidden, .hp'))
            .map(e => [parseFloat(getComputedStyle(e).fontSize), e.textContent.trim().slice(0, 20)])"""
    )
    small = [text for size, text in sizes if size < 14]
    assert small == []


def test_the_share_button_copies_the_address(page, sections, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(sections[0].url)
    page.get_by_text("分享本页").click()
    page.get_by_role("button", name="复制链接").click()
    expect(page.locator(".share__status")).to_contain_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}{sections[0].url}"
    qr = page.locator(".share__qr img")
    expect(qr).to_be_visible()
    assert page.evaluate("document.querySelector('.share__qr img').naturalWidth") > 0
