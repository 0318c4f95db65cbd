"""会费收据: what a member keeps and shows others. Titled as what it is, with the association's seal and
经办人 from the site settings, full-width punctuation, and an address where anyone can check it."""

import io
import re
import uuid

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from wagtail.models import Site

from demo.files import seal_png
from members import services
from members.models import Payment, PaymentStatus
from members.receipts import render_receipt, verification_code
from portal.models import ContactSettings, CustomImage
from tests.conftest import sign_in
from tests.members.factories import make_invoice, make_member, make_period

pytestmark = pytest.mark.django_db

BASE = "https://portal.example.org"
ASCII_BESIDE_CHINESE = re.compile(r"[\u4e00-\u9fff][,:;()!?]|[,:;()!?][\u4e00-\u9fff]")


@pytest.fixture
def settings_with_seal(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.seal = CustomImage.objects.create(
        title="协会印章", file=ContentFile(seal_png("大连市心理咨询师协会"), name="seal.png")
    )
    contact.receipt_handler = "赵会计"
    contact.phone = "0411-8888 0000"
    contact.save()
    return contact


@pytest.fixture
def member(db):
    return make_member("wang@example.com", number="DL-2020-0007")


@pytest.fixture
def payment(member, officer):
    invoice = make_invoice(member, make_period(2026))
    return services.record_cash(invoice, by=officer, idempotency_key=uuid.uuid4().hex)


def _pdf(payment):
    return PdfReader(io.BytesIO(render_receipt(payment)))


def _images(reader) -> int:
    return sum(len(page.images) for page in reader.pages)


def _text(reader) -> str:
    return reader.metadata.title + "\n" + "\n".join(page.extract_text() for page in reader.pages)


def test_the_receipt_is_titled_as_what_it_is_and_signed_by_the_association(settings_with_seal, payment):
    reader = _pdf(payment)
    text = _text(reader)

    assert reader.metadata.title == f"会费收据 {payment.receipt_number}"
    assert "会费收据" in text
    assert "收款单位（盖章）：大连市心理咨询师协会" in text
    assert "经办人：赵会计" in text
    assert "交款人：" in text and "收款日期：" in text
    assert not ASCII_BESIDE_CHINESE.search(text), ASCII_BESIDE_CHINESE.search(text)
    assert _images(reader) == 1  # the seal


def test_without_a_seal_in_the_settings_the_receipt_is_still_issued(settings, payment):
    settings.WAGTAILADMIN_BASE_URL = BASE
    reader = _pdf(payment)

    assert _images(reader) == 0
    assert "经办人：" in _text(reader)


def test_a_sandbox_receipt_carries_no_seal_and_checks_as_not_a_receipt(settings_with_seal, member):
    """A sandbox payment moved no money: a seal would make its paper look like a real receipt."""
    invoice = make_invoice(member, make_period(2026))
    client = Client()
    sign_in(client, member.user)
    client.post(client.post(reverse("membership_pay_online", args=[invoice.pk]))["Location"], {"pay": "1"})
    payment = Payment.objects.get()

    reader = _pdf(payment)
    checked = Client().get(reverse("receipt_verify", args=[verification_code(payment)])).content.decode()

    assert "会费收据（沙箱测试，非正式收据）" in _text(reader)
    assert _images(reader) == 0
    assert "沙箱测试，非正式收据，无效" in checked


def test_the_receipt_says_where_to_check_it_on_the_configured_address(settings_with_seal, payment):
    text = _text(_pdf(payment)).replace("\n", "")
    code = verification_code(payment)

    assert f"本收据可在 {BASE}/receipts/verify/{code}/ 核验真伪。" in text
    assert "testserver" not in text


def test_the_verification_page_shows_number_date_amount_and_valid_only(settings_with_seal, payment, member):
    response = Client().get(reverse("receipt_verify", args=[verification_code(payment)]))

    page = response.content.decode()
    assert response.status_code == 200
    assert payment.receipt_number in page and "¥200.00" in page and "有效" in page
    assert member.full_name not in page and member.number not in page
    assert response["X-Robots-Tag"] == "noindex"


def test_the_verification_page_in_english_and_traditional_chinese(settings_with_seal, payment):
    code = verification_code(payment)
    english = Client().get(f"/en/receipts/verify/{code}/").content.decode()
    traditional = Client().get(f"/zh-hant/receipts/verify/{code}/").content.decode()

    assert "Valid" in english and "Receipt check" in english
    assert "有效" in traditional and "收據核驗" in traditional


@pytest.mark.parametrize(
    "forge",
    [
        lambda code: code[:-1] + ("0" if code[-1] != "0" else "1"),  # one character changed
        lambda code: code.rsplit("-", 1)[0],  # the receipt number alone
        lambda code: code.replace("000001", "000002"),  # another receipt's number with this digest
        lambda code: "x" * 200,
        lambda code: "SJ-2026-000001-" + "0" * 16,
    ],
)
def test_a_made_up_code_finds_nothing(settings_with_seal, payment, forge):
    response = Client().get(reverse("receipt_verify", args=[forge(verification_code(payment))]))

    assert response.status_code == 404
    assert payment.receipt_number not in response.content.decode() or "没有找到" in response.content.decode()
    assert "有效" not in response.content.decode().split("<main")[1]


def test_a_voided_receipt_is_reported_as_no_longer_valid(settings_with_seal, payment, officer):
    code = verification_code(payment)
    payment.status = PaymentStatus.VOIDED
    payment.save(update_fields=["status"])

    page = Client().get(reverse("receipt_verify", args=[code])).content.decode()

    assert "已作废，无效" in page


def test_checking_receipts_is_rate_limited_per_address(settings_with_seal, payment):
    client = Client()
    code = verification_code(payment)
    statuses = [
        client.get(reverse("receipt_verify", args=[f"SJ-2026-{n:06d}-{'0' * 16}"])).status_code for n in range(30)
    ]

    limited = client.get(reverse("receipt_verify", args=[code]))

    assert set(statuses) == {404}
    assert limited.status_code == 429
    assert payment.receipt_number not in limited.content.decode().split("<main")[1]


def test_the_member_downloads_the_receipt_with_the_seal(settings_with_seal, payment, member):
    client = Client()
    sign_in(client, member.user)

    response = client.get(reverse("membership_receipt", args=[payment.pk]))

    assert response.status_code == 200
    assert _images(PdfReader(io.BytesIO(response.content))) == 1
