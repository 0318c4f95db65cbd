"""会费: standing worked out when it is read, invoices issued once, transfers, cash, confirmations,
voids, receipts in Chinese, and nobody seeing another member's money."""

import datetime
import io
import re
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from members import services
from members.models import Invoice, Payment, PaymentMethod, PaymentStatus, Standing
from members.receipts import amount_in_chinese
from portal.roles import EDITORS, MEMBERSHIP_OFFICERS
from tests.conftest import make_user, run_at_once, sign_in
from tests.members.factories import make_invoice, make_member, make_period
from tests.notices.factories import NoticeIndexPageFactory, NoticePageFactory
from tests.portal.samples import PDF

pytestmark = pytest.mark.django_db

DAY = datetime.date


@pytest.fixture
def member(db):
    return make_member("wang@example.com", number="DL-2020-0007")


def voucher_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("voucher.pdf", PDF, content_type="application/pdf")


def transfer(client, invoice, key=None, **changes):
    data = {
        f"invoice-{invoice.pk}-reference": "6222 0204 1234",
        f"invoice-{invoice.pk}-voucher": voucher_pdf(),
        f"invoice-{invoice.pk}-idempotency_key": key or uuid.uuid4().hex,
    }
    data.update({f"invoice-{invoice.pk}-{name}": value for name, value in changes.items()})
    return client.post(reverse("membership_pay_by_transfer", args=[invoice.pk]), data)


# Standing ------------------------------------------------------------------------------------------


def test_standing_follows_the_invoice_and_the_calendar(member, officer):
    invoice = make_invoice(member, make_period(2026, due=DAY(2026, 3, 31), grace_days=90))

    standings = {
        day: member.standing(on=day)
        for day in (DAY(2026, 3, 31), DAY(2026, 4, 1), DAY(2026, 6, 29), DAY(2026, 6, 30), DAY(2027, 1, 2))
    }
    payment = services.record_cash(invoice, by=officer, idempotency_key="desk-1")

    assert standings == {
        DAY(2026, 3, 31): Standing.ACTIVE,  # due today
        DAY(2026, 4, 1): Standing.GRACE,
        DAY(2026, 6, 29): Standing.GRACE,  # the 90th day of grace
        DAY(2026, 6, 30): Standing.LAPSED,
        DAY(2027, 1, 2): Standing.LAPSED,
    }
    assert payment.status == PaymentStatus.CONFIRMED
    assert member.standing(on=DAY(2027, 1, 2)) == Standing.ACTIVE  # paid: no job had to run


def test_a_resigned_member_is_resigned_whatever_they_owe(member):
    member.resigned_on = DAY(2026, 1, 15)
    member.save()

    assert member.standing(on=DAY(2026, 1, 14)) == Standing.ACTIVE
    assert member.standing(on=DAY(2026, 1, 15)) == Standing.RESIGNED


def test_the_member_sees_their_standing_and_arrears_of_several_years(member, officer):
    for year in (2025, 2026):
        make_invoice(member, make_period(year))
    paid = make_invoice(member, make_period(2024))
    services.record_cash(paid, by=officer, idempotency_key="k")

    with time_machine.travel("2027-02-01 09:00 +0800", tick=False):
        client = Client()
        sign_in(client, member.user)
        page = client.get(reverse("membership_home")).content.decode()

    assert "DL-2020-0007" in page and "已失效" in page
    assert page.count('/transfer/" class="stacked-form"') == 2  # 2025 and 2026 are payable by transfer
    assert page.count('/online/" class="form-actions"') == 2  # and online
    assert "2024年会费" in page and paid.payments.get().receipt_number in page


def test_someone_without_membership_is_sent_to_apply(client):
    sign_in(client, make_user("visitor@example.com"))

    assert client.get(reverse("membership_home"))["Location"] == reverse("membership_apply")


# Issuing invoices -------------------------------------------------------------------------------------


def test_invoices_are_issued_once_to_every_member_who_owes_the_year(officer):
    period_2025 = make_period(2025)
    period_2026 = make_period(2026)
    active = make_member("a@example.com", number="DL-2020-0001")
    institutional = make_member("b@example.com", number="DL-2020-0002", type_name="团体会员")
    lapsed = make_member("c@example.com", number="DL-2020-0003")
    make_invoice(lapsed, period_2025)  # never paid: lapsed since mid-2025, and owes 2026 as well
    resigned = make_member("d@example.com", number="DL-2020-0004", resigned_on=DAY(2025, 12, 31))
    branch = make_member("e@example.com", number="DL-2020-0005", type_name="分支机构")  # no 2026 rate

    with time_machine.travel("2026-01-10 10:00 +0800", tick=False):
        first = services.issue_invoices(period_2026)
        second = services.issue_invoices(period_2026)

    issued = {invoice.member: invoice.amount for invoice in Invoice.objects.filter(period=period_2026)}
    assert (first, second) == (3, 0)
    assert issued == {active: Decimal("200.00"), institutional: Decimal("2000.00"), lapsed: Decimal("200.00")}
    assert resigned not in issued and branch not in issued


def test_officers_issue_invoices_from_the_admin(officer_client):
    period = make_period(2026)
    make_member("a@example.com", number="DL-2020-0001")

    confirm = officer_client.get(reverse("dues_periods:issue", args=[period.pk]))
    issued = officer_client.post(reverse("dues_periods:issue", args=[period.pk]))

    assert confirm.status_code == 200
    assert issued.status_code == 302
    assert Invoice.objects.filter(period=period).count() == 1


# Paying -----------------------------------------------------------------------------------------------


def test_a_transfer_waits_for_an_officer_and_then_gives_a_receipt(member_client, officer_client, member):
    invoice = make_invoice(member, make_period(2026))

    recorded = transfer(member_client, invoice)
    payment = Payment.objects.get()
    waiting = member_client.get(reverse("membership_home")).content.decode()
    confirmed = officer_client.post(reverse("payments:decide", args=[payment.pk]), {"action": "confirm"})
    payment.refresh_from_db()

    assert recorded.status_code == 302
    assert "正在等待工作人员确认" in waiting
    assert confirmed.status_code == 302
    assert payment.status == PaymentStatus.CONFIRMED and payment.receipt_number == "SJ-2026-000001"
    assert payment.decided_by.email == "officer@example.com"
    assert member.standing(on=DAY(2026, 12, 31)) == Standing.ACTIVE


def test_a_transfer_sent_twice_is_recorded_once(member_client, member):
    invoice = make_invoice(member, make_period(2026))
    key = uuid.uuid4().hex

    transfer(member_client, invoice, key=key)
    transfer(member_client, invoice, key=key)

    assert Payment.objects.count() == 1


def test_a_voucher_that_is_not_an_image_or_pdf_is_refused_and_nothing_recorded(member_client, member):
    invoice = make_invoice(member, make_period(2026))
    fake = SimpleUploadedFile("voucher.jpg", b"#!/bin/sh\necho hi\n", content_type="image/jpeg")

    response = transfer(member_client, invoice, voucher=fake)

    assert response.status_code == 400
    page = response.content.decode()
    assert "请上传 JPG、PNG 图片或 PDF 文件。" in page and 'value="6222 0204 1234"' in page
    assert not Payment.objects.exists()


def test_nobody_pays_into_another_members_invoice(client, member):
    invoice = make_invoice(member, make_period(2026))
    other = make_member("li@example.com", number="DL-2021-0001", full_name="李四")
    sign_in(client, other.user)

    assert transfer(client, invoice).status_code == 404
    assert not Payment.objects.exists()


def test_confirming_twice_confirms_once(officer, member):
    invoice = make_invoice(member, make_period(2026))
    payment = services.record_transfer(invoice, by=member.user, reference="x", voucher=None, idempotency_key="t")

    services.confirm_payment(payment, by=officer)
    with pytest.raises(ValidationError):
        services.confirm_payment(payment, by=officer)

    assert Payment.objects.filter(status=PaymentStatus.CONFIRMED).count() == 1


def test_rejecting_a_transfer_needs_a_reason_and_keeps_the_record(officer_client, member):
    invoice = make_invoice(member, make_period(2026))
    payment = services.record_transfer(invoice, by=member.user, reference="x", voucher=None, idempotency_key="t")

    officer_client.post(reverse("payments:decide", args=[payment.pk]), {"action": "rejected", "reason": ""})
    payment.refresh_from_db()
    unchanged = payment.status
    officer_client.post(reverse("payments:decide", args=[payment.pk]), {"action": "rejected", "reason": "未查到到账"})
    payment.refresh_from_db()

    assert unchanged == PaymentStatus.PENDING
    assert (payment.status, payment.note) == (PaymentStatus.REJECTED, "未查到到账")


def test_cash_is_recorded_once_and_a_void_reopens_the_invoice(officer_client, officer, member):
    invoice = make_invoice(member, make_period(2026))
    key = uuid.uuid4().hex

    for _ in range(2):
        officer_client.post(
            reverse("invoices:cash", args=[invoice.pk]), {"idempotency_key": key, "reference": "年会现场"}
        )
    payment = Payment.objects.get()
    services.close_payment(payment, PaymentStatus.VOIDED, by=officer, reason="重复登记")
    payment.refresh_from_db()

    assert payment.method == PaymentMethod.CASH and payment.receipt_number
    assert (payment.status, payment.note) == (PaymentStatus.VOIDED, "重复登记")
    assert Payment.objects.count() == 1  # kept, not deleted
    assert not Invoice.objects.get(pk=invoice.pk).is_paid


def test_the_cash_page_asks_for_the_amount_and_each_showing_records_one_payment(officer_client, member):
    invoice = make_invoice(member, make_period(2026))
    url = reverse("invoices:cash", args=[invoice.pk])

    first, second = officer_client.get(url).content.decode(), officer_client.get(url).content.decode()
    first_key = re.search(r'name="idempotency_key" value="(\w+)"', first).group(1)
    second_key = re.search(r'name="idempotency_key" value="(\w+)"', second).group(1)
    officer_client.post(url, {"idempotency_key": first_key, "reference": ""}, follow=True)
    double_click = officer_client.post(url, {"idempotency_key": first_key, "reference": ""}, follow=True)
    again = officer_client.post(url, {"idempotency_key": second_key, "reference": ""}, follow=True)

    assert f"确认已收到{member.full_name}交纳的{invoice.amount}元？" in first
    assert "备注（如收款地点）" in first
    assert first_key != second_key
    assert Payment.objects.filter(invoice=invoice).count() == 1
    assert "已登记，收据编号 SJ-" in double_click.content.decode()  # the same payment, not a refusal
    assert "这张账单已经付清。" not in double_click.content.decode()
    assert again.redirect_chain[-1][0] == reverse("invoices:inspect", args=[invoice.pk])
    assert "这张账单已经付清。" in again.content.decode()  # the second page, after the first was used


def test_the_cash_and_issue_pages_are_refused_to_editors(member):
    editor = Client()
    sign_in(editor, make_user("editor@example.com", groups=(EDITORS,)))
    invoice = make_invoice(member, make_period(2026))

    for response in (
        editor.get(reverse("invoices:cash", args=[invoice.pk])),
        editor.post(reverse("invoices:cash", args=[invoice.pk])),
        editor.post(reverse("dues_periods:issue", args=[invoice.period.pk])),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")  # Wagtail's "no permission"
    assert not Payment.objects.exists()


# Receipts ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("100", "壹佰元整"),
        ("200.00", "贰佰元整"),
        ("1050.50", "壹仟零伍拾元伍角"),
        ("20.07", "贰拾元零柒分"),
        ("10001", "壹万零壹元整"),
    ],
)
def test_amounts_in_chinese_capitals(amount, words):
    assert amount_in_chinese(Decimal(amount)) == words


def paid_invoice(member, officer):
    invoice = make_invoice(member, make_period(2026))
    return services.record_cash(invoice, by=officer, idempotency_key=uuid.uuid4().hex)


def test_the_receipt_is_a_pdf_in_chinese(member_client, member, officer):
    payment = paid_invoice(member, officer)

    response = member_client.get(reverse("membership_receipt", args=[payment.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    for expected in (
        "大连市心理咨询师协会",
        "收据",
        "王晓明",
        "DL-2020-0007",
        "2026年会费",
        "¥200.00",
        "贰佰元整",
        payment.receipt_number,
    ):
        assert expected in text, expected


@pytest.mark.parametrize("role", ["anonymous", "other_member", "editor", "officer", "superuser"])
def test_a_receipt_is_for_the_member_and_staff_only(member, officer, role):
    payment = paid_invoice(member, officer)
    client = Client()
    users = {
        "other_member": lambda: make_member("li@example.com", number="DL-2021-0001").user,
        "editor": lambda: make_user("editor@example.com", groups=(EDITORS,)),
        "officer": lambda: officer,
        "superuser": lambda: make_user("root@example.com", superuser=True),
    }
    if role in users:
        sign_in(client, users[role]())

    response = client.get(reverse("membership_receipt", args=[payment.pk]))

    expected = {"anonymous": 302, "other_member": 404, "editor": 404, "officer": 200, "superuser": 200}[role]
    assert response.status_code == expected


def test_an_unconfirmed_payment_has_no_receipt(member_client, member):
    invoice = make_invoice(member, make_period(2026))
    payment = services.record_transfer(invoice, by=member.user, reference="x", voucher=None, idempotency_key="t")

    assert member_client.get(reverse("membership_receipt", args=[payment.pk])).status_code == 404


# Concurrency ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_officers_confirming_the_same_voucher_at_once_make_one_payment():
    member = make_member("wang@example.com", number="DL-2020-0007")
    invoice = make_invoice(member, make_period(2026))
    payment = services.record_transfer(invoice, by=member.user, reference="x", voucher=None, idempotency_key="t")
    officers = [make_user(f"officer{n}@example.com", groups=(MEMBERSHIP_OFFICERS,)) for n in range(4)]

    outcomes = run_at_once(4, lambda index: services.confirm_payment(payment, by=officers[index]))

    assert sum(isinstance(outcome, Payment) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, ValidationError) for outcome in outcomes) == 3
    assert Payment.objects.get().receipt_number == "SJ-2026-000001"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_a_transfer_form_sent_several_times_at_once_records_one_payment():
    member = make_member("wang@example.com", number="DL-2020-0007")
    invoice = make_invoice(member, make_period(2026))

    outcomes = run_at_once(
        5,
        lambda index: services.record_transfer(
            invoice, by=member.user, reference="x", voucher=None, idempotency_key="same-form"
        ),
    )

    assert all(isinstance(outcome, Payment) for outcome in outcomes), outcomes
    assert Payment.objects.count() == 1


def test_a_voucher_is_for_its_member_and_officers_only(member_client, officer_client, client, member):
    invoice = make_invoice(member, make_period(2026))
    transfer(member_client, invoice)
    payment = Payment.objects.get()
    other = make_member("li@example.com", number="DL-2021-0001", full_name="李四")
    sign_in(client, other.user)
    url = reverse("membership_voucher", args=[payment.pk])

    assert member_client.get(url).status_code == 200
    assert officer_client.get(url).status_code == 200
    assert client.get(url).status_code == 404


def test_the_yearly_dues_notice_offers_to_pay_now(client, home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    dues_notice = NoticePageFactory(parent=index, slug="dues-2026", dues_period=make_period(2026))
    other_notice = NoticePageFactory(parent=index, slug="council")

    assert reverse("membership_home") in client.get(dues_notice.url).content.decode()
    assert "立即交纳会费" not in client.get(other_notice.url).content.decode()


def test_officers_confirm_several_transfers_at_once(officer_client, officer, member):
    other = make_member("li@example.com", number="DL-2021-0001", full_name="李四")
    period = make_period(2026)
    first = services.record_transfer(
        make_invoice(member, period), by=member.user, reference="a", voucher=None, idempotency_key="a"
    )
    second = services.record_transfer(
        make_invoice(other, period), by=other.user, reference="b", voucher=None, idempotency_key="b"
    )
    services.confirm_payment(second, by=officer)  # already handled by a colleague
    url = reverse("payments:confirm_transfers")

    listed = officer_client.get(url).content.decode()
    response = officer_client.post(url, {"payment": [first.pk, second.pk]}, follow=True)

    assert f'value="{first.pk}"' in listed and f'value="{second.pk}"' not in listed
    first.refresh_from_db()
    assert first.status == PaymentStatus.CONFIRMED and first.receipt_number
    page = response.content.decode()
    assert "已确认 1 笔转账" in page and "1 笔已被处理过" in page


def test_after_confirming_the_officer_is_back_at_the_transfers_still_to_check(officer_client, member):
    payment = services.record_transfer(
        make_invoice(member, make_period(2026)), by=member.user, reference="a", voucher=None, idempotency_key="a"
    )
    url = reverse("payments:confirm_transfers")

    response = officer_client.post(url, {"payment": [payment.pk]})
    page = officer_client.get(url).content.decode()

    assert response.status_code == 302 and response["Location"] == url
    assert f'class="button button-secondary" href="{reverse("payments:index")}"' in page


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [("en", "Membership dues 2026", "2026年会费"), ("zh-hant", "2026年會費", "2026年会费")],
)
def test_officers_read_the_dues_year_in_their_admin_language(officer, member, language, shown, not_shown):
    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = language
    profile.save()
    client = Client()
    sign_in(client, officer)
    services.record_transfer(
        make_invoice(member, make_period(2026)), by=member.user, reference="a", voucher=None, idempotency_key="a"
    )

    pages = [client.get(reverse(name)).content.decode() for name in ("invoices:index", "payments:confirm_transfers")]

    for page in pages:
        assert shown in page and not_shown not in page


def test_the_english_admin_heads_a_column_of_members_member(officer, member):
    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = "en"
    profile.save()
    client = Client()
    sign_in(client, officer)
    services.record_transfer(
        make_invoice(member, make_period(2026)), by=member.user, reference="a", voucher=None, idempotency_key="a"
    )

    for name in ("invoices:index", "payments:confirm_transfers"):
        page = client.get(reverse(name)).content.decode()
        headings = [
            re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", page, re.S)
        ]
        assert "Member" in headings and "Members" not in headings, (name, headings)


def test_confirming_with_nothing_ticked_says_so_and_confirms_nothing(officer_client, member):
    payment = services.record_transfer(
        make_invoice(member, make_period(2026)), by=member.user, reference="a", voucher=None, idempotency_key="a"
    )

    response = officer_client.post(reverse("payments:confirm_transfers"), {})

    payment.refresh_from_db()
    assert response.status_code == 200
    assert "请先勾选要确认的转账。" in response.content.decode()
    assert payment.status == PaymentStatus.PENDING


def test_the_transfer_list_takes_as_many_queries_for_twenty_as_for_two(officer_client, django_assert_max_num_queries):
    period = make_period(2026)
    url = reverse("payments:confirm_transfers")

    def record(count, start):
        for number in range(start, start + count):
            person = make_member(f"m{number}@example.com", number=f"DL-2021-{number:04d}")
            services.record_transfer(
                make_invoice(person, period),
                by=person.user,
                reference=str(number),
                voucher=None,
                idempotency_key=str(number),
            )

    record(2, 1)
    officer_client.get(url)
    with CaptureQueriesContext(connection) as few:
        two = officer_client.get(url).content.decode()
    record(18, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        twenty = officer_client.get(url).content.decode()

    assert two.count('name="payment"') == 2 and twenty.count('name="payment"') == 20


def test_editors_cannot_confirm_transfers(client, member):
    payment = services.record_transfer(
        make_invoice(member, make_period(2026)), by=member.user, reference="a", voucher=None, idempotency_key="a"
    )
    sign_in(client, make_user("editor@example.com", groups=(EDITORS,)))

    response = client.post(reverse("payments:confirm_transfers"), {"payment": [payment.pk]})

    payment.refresh_from_db()
    assert response.status_code in (302, 403) and payment.status == PaymentStatus.PENDING
