"""The Content-Security-Policy blocks nothing the site or the admin needs, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user, totp_code
from tests.notices.factories import NoticeIndexPageFactory, NoticePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xinli-2026-admin"  # noqa: S105

# Records every violation the page reports, from the first script on.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
    window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


def _violations(tab) -> list[str]:
    return tab.evaluate("window.__violations")


def test_public_pages_and_the_admin_run_under_their_policies(browser, live_server, home_page):
    notice = NoticePageFactory(parent=NoticeIndexPageFactory(parent=home_page), title="关于交纳会费的通知")
    admin = make_user("root@example.com", superuser=True)
    admin.set_password(PASSWORD)
    admin.save(update_fields=["password"])
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.add_init_script(RECORD_VIOLATIONS)
    tab = context.new_page()
    tab.set_default_timeout(15_000)

    for url in ("/", notice.url, "/search/?q=会费", "/accounts/login/"):
        tab.goto(url)
        assert _violations(tab) == [], url

    tab.goto("/admin/")
    tab.fill("input[name=login]", admin.email)
    tab.fill("input[name=password]", PASSWORD)
    tab.locator("main button[type=submit]").click()
    tab.fill("input[name=code]", totp_code())
    tab.get_by_role("button", name="登录").click()
    expect(tab).to_have_url(re.compile(r"/admin/$"))
    assert _violations(tab) == []

    # The page editor, the admin's busiest screen: its tabs and fields work.
    tab.goto(f"/admin/pages/{notice.pk}/edit/")
    expect(tab.locator("#id_title")).to_have_value("关于交纳会费的通知")
    second_tab = tab.get_by_role("tab").nth(1)
    second_tab.click()  # the tabs answer only when the admin's scripts run
    expect(second_tab).to_have_attribute("aria-selected", "true")
    assert _violations(tab) == []
    context.close()
