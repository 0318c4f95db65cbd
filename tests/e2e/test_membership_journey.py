"""A member's journey in a real browser: sign up, verify the address by the e-mailed link, apply
with a certificate scan, get approved by an officer in the admin, pay the dues online with the
sandbox provider and download the receipt."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from members.models import Member, MembershipApplication, Payment
from portal.roles import MEMBERSHIP_OFFICERS
from tests.conftest import make_user, totp_code
from tests.members.factories import make_period
from tests.portal.samples import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xinli-Journey-2026"  # noqa: S105


@pytest.fixture
def scan(tmp_path):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(PDF)
    return path


def test_sign_up_apply_get_approved_pay_and_download_the_receipt(browser, live_server, scan):
    period = make_period(2026)
    make_user("officer@example.com", groups=(MEMBERSHIP_OFFICERS,), password=PASSWORD)
    member = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    officer = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    for tab in (member, officer):
        tab.set_default_timeout(20_000)

    # Sign up, then verify the address with the link in the e-mail.
    member.goto("/accounts/signup/")
    member.fill("input[name=email]", "zhao.min@example.com")
    member.fill("input[name=password1]", PASSWORD)
    member.fill("input[name=password2]", PASSWORD)
    member.check("input[name=terms_agreed]")
    member.locator("main button[type=submit]").click()
    expect(member).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body).group(1)
    member.goto(link)
    member.locator("main button[type=submit]").click()
    expect(member.locator(".account-bar")).to_contain_text("zhao.min@example.com")

    # Apply for membership with a certificate scan.
    member.goto("/membership/apply/")
    member.fill("#id_full_name", "赵敏")
    member.fill("#id_phone", "13904111234")
    member.fill("#id_employer", "大连市心理援助中心")
    member.select_option("#id_district", "xigang")
    member.select_option("#id_qualification", "counsellor-3")
    member.fill("#id_certificate_number", "1511000000359876")
    member.set_input_files("#id_certificate_scan", str(scan))
    member.fill("#id_years_of_practice", "4")
    member.get_by_label("个人会员").check()
    member.locator("#id_charter_agreed").check()
    member.get_by_role("button", name="提交申请").click()
    expect(member.locator("main")).to_contain_text("待审核")

    # The officer signs in (password, then the authenticator code) and approves it in the admin.
    officer.goto("/admin/")
    officer.fill("input[name=login]", "officer@example.com")
    officer.fill("input[name=password]", PASSWORD)
    officer.locator("main button[type=submit]").click()
    officer.fill("input[name=code]", totp_code())
    officer.get_by_role("button", name="登录").click()
    application = MembershipApplication.objects.get(full_name="赵敏")
    officer.goto(f"/admin/membership/applications/inspect/{application.pk}/")
    expect(officer.locator("body")).to_contain_text("大连市心理援助中心")
    officer.get_by_role("link", name="审核").click()
    officer.get_by_label("通过", exact=True).check()
    officer.get_by_role("button", name="提交审核结果").click()
    expect(officer.locator("body")).to_contain_text("DL-")
    # … and issues this year's dues invoices.
    officer.goto(f"/admin/membership/dues/issue/{period.pk}/")
    officer.get_by_role("button", name="确认").click()
    expect(officer.locator("body")).to_contain_text("1")

    # The member sees the number and the dues, pays online and gets the receipt.
    number = Member.objects.get(full_name="赵敏").number
    member.goto("/membership/")
    expect(member.locator("main")).to_contain_text(number)
    expect(member.locator("main")).to_contain_text("2026年会费")
    member.get_by_role("button", name="在线支付").click()
    expect(member.locator("main")).to_contain_text("200.00")
    member.get_by_role("button", name="确认支付").click()
    payment = Payment.objects.get(status="confirmed")
    receipt_link = member.get_by_role("link", name=payment.receipt_number)
    expect(receipt_link).to_be_visible()
    receipt = member.request.get(receipt_link.get_attribute("href"))
    assert receipt.status == 200
    assert receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF-")

    member.context.close()
    officer.context.close()
