"""Someone who wants to join, on a phone: from the home page's 入会申请 tile to the 入会指南, its apply
button, the sign-in, and back to the application form."""

import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from home.models import HomeQuickLink, JoinGuidePage
from tests.conftest import make_user
from tests.members.factories import make_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xinli-Join-2026"  # noqa: S105
PHONE = {"width": 390, "height": 844}


def test_from_the_home_tile_through_the_guide_and_sign_in_to_the_application_form(browser, live_server, home_page):
    make_period(timezone.localdate().year, rates={"个人会员": "200.00", "团体会员": "2000.00"})
    guide = JoinGuidePage(
        title="入会指南",
        slug="join",
        intro="欢迎加入协会。",
        body=json.dumps([{"type": "join_fees", "value": {"heading": "会费标准", "note": ""}}]),
    )
    home_page.add_child(instance=guide)
    guide.save_revision().publish()
    HomeQuickLink.objects.create(page=home_page, title="入会申请", icon="join", link_page=guide)
    make_user("newcomer@example.com", password=PASSWORD)
    tab = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE).new_page()
    tab.set_default_timeout(20_000)

    tab.goto("/")
    tab.locator(".quick-link a", has_text="入会申请").click()

    expect(tab).to_have_url(re.compile(r"/join/$"))
    expect(tab.locator("h1")).to_have_text("入会指南")
    expect(tab.locator("table.join-fees")).to_contain_text("个人会员")
    expect(tab.locator("table.join-fees")).to_contain_text("200元/年")
    button = tab.locator(".join-apply__button").first
    expect(button).to_be_in_viewport()  # the way to apply is on the first screen of a phone
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing wider than the phone

    button.click()
    expect(tab).to_have_url(re.compile(r"/accounts/login/\?next=/membership/apply/$"))
    tab.fill("input[name=login]", "newcomer@example.com")
    tab.fill("input[name=password]", PASSWORD)
    tab.locator("main button[type=submit]").click()

    expect(tab).to_have_url(re.compile(r"/membership/apply/$"))
    expect(tab.locator("input[name=full_name]")).to_be_visible()
    expect(tab.locator("input[name=charter_agreed]")).to_be_attached()
