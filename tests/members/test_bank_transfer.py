"""Paying by bank transfer: the association's account from the site settings, and the reference to
write, wherever a member is asked to transfer (the member centre, the dues reminders); without an
account in the settings, the member is told to ask the secretariat, never shown blanks."""

import re
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from wagtail.models import Site

from members import services
from portal.models import ContactSettings
from tests.conftest import make_user, sign_in
from tests.members.factories import make_member

pytestmark = pytest.mark.django_db

ACCOUNT = {
    "bank_account_name": "大连市心理咨询师协会",
    "bank_name": "中国工商银行大连分行营业部",
    "bank_account_number": "3400 0000 0000 0000 000",
}


def contact_settings(**fields) -> ContactSettings:
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.save()
    return contact


@pytest.fixture
def member(db):
    return make_member("wang@example.com", number="DL-2020-0007", full_name="王晓明")


def member_centre(member, prefix: str = "") -> str:
    client = Client()
    sign_in(client, member.user)
    with time_machine.travel("2026-03-01 10:00 +0800", tick=False):
        response = client.get(prefix + "/membership/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "labels"),
    [
        ("", ("开户名称", "开户银行", "银行账号", "转账附言", "复制")),
        ("/zh-hant", ("開戶名稱", "開戶銀行", "銀行帳號", "轉帳附言", "複製")),
        ("/en", ("Account name", "Bank", "Account number", "Transfer remark", "Copy")),
    ],
)
def test_the_member_centre_shows_where_to_transfer_and_what_to_write(member, invoice, prefix, labels):
    contact_settings(**ACCOUNT)

    page = member_centre(member, prefix)

    transfer = page[page.index('class="transfer"') :]
    for label in labels:
        assert label in transfer, label
    # The account as registered with the bank (in 简体 in every language), copyable as it stands.
    assert '<dd lang="zh-Hans">大连市心理咨询师协会</dd>' in transfer
    assert '<dd lang="zh-Hans">中国工商银行大连分行营业部</dd>' in transfer
    assert re.search(rf'id="account-{invoice.pk}"[^>]*value="3400 0000 0000 0000 000"[^>]*readonly', transfer)
    assert re.search(rf'id="reference-{invoice.pk}"[^>]*value="DL-2020-0007 2026"[^>]*readonly', transfer)
    assert f'data-copy="reference-{invoice.pk}"' in transfer
    assert f'action="{prefix}/membership/invoices/{invoice.pk}/transfer/"' in transfer


@pytest.mark.parametrize("missing", ["bank_account_name", "bank_name", "bank_account_number"])
def test_without_the_account_the_member_is_told_to_ask_the_secretariat(member, invoice, missing):
    contact_settings(**{**ACCOUNT, missing: "  "}, phone="0411-39768800", email="office@example.com")

    page = member_centre(member)

    assert "请先联系协会秘书处获取账户信息" in page and "0411-39768800" in page and "office@example.com" in page
    assert "银行账号" not in page and f'id="account-{invoice.pk}"' not in page
    assert "3400 0000" not in page
    assert f"/invoices/{invoice.pk}/transfer/" in page  # a transfer made with the secretariat's details is registered


def test_a_paid_invoice_asks_for_no_transfer(member, invoice):
    contact_settings(**ACCOUNT)
    services.record_cash(invoice, by=make_user("officer@example.com"), idempotency_key="k")

    page = member_centre(member)

    assert "转账附言" not in page and "3400 0000" not in page


def remind(day: str) -> None:
    call_command("send_dues_reminders", "--date", day, stdout=StringIO())


def test_the_reminder_says_where_to_transfer_and_what_to_write(member, invoice, settings):
    settings.DUES_REMINDER_OFFSETS = [30, 7, 0, -30]
    contact_settings(**ACCOUNT)

    remind("2026-03-01")

    body = mail.outbox[-1].body
    for expected in (
        "开户名称：大连市心理咨询师协会",
        "开户银行：中国工商银行大连分行营业部",
        "银行账号：3400 0000 0000 0000 000",
        "转账附言：DL-2020-0007 2026",
    ):
        assert expected in body, expected


def test_a_reminder_without_the_account_points_to_the_secretariat(member, invoice, settings):
    settings.DUES_REMINDER_OFFSETS = [30]
    contact_settings(bank_account_name="", bank_name="", bank_account_number="", phone="0411-39768800")

    remind("2026-03-01")

    body = mail.outbox[-1].body
    assert "请先联系协会秘书处获取账户信息" in body and "0411-39768800" in body
    assert "开户名称" not in body and "银行账号" not in body
