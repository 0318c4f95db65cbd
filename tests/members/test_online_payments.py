"""Online payment with the sandbox provider: its pay page, its signed notification, replays and
forgeries, the invoice paid exactly once, and receipts that say when no money was paid."""

import io

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from members import providers, services
from members.models import Payment, PaymentMethod, PaymentStatus
from portal.roles import MEMBERSHIP_OFFICERS
from tests.conftest import make_user, run_at_once, sign_in
from tests.members.factories import make_invoice, make_member, make_period

pytestmark = pytest.mark.django_db

SANDBOX = providers.PROVIDERS["sandbox"]
NOTIFY = "/membership/payments/notify/sandbox/"


@pytest.fixture
def member(db):
    return make_member("wang@example.com", number="DL-2020-0007")


def start(client, invoice):
    return client.post(reverse("membership_pay_online", args=[invoice.pk]))


def test_the_member_pays_on_the_sandbox_page_and_gets_a_receipt(member_client, invoice):
    started = start(member_client, invoice)
    pay_page = member_client.get(started["Location"])
    paid = member_client.post(started["Location"], {"pay": "1"})
    home = member_client.get(reverse("membership_home")).content.decode()

    payment = Payment.objects.get()
    assert started.status_code == 302 and started["Location"] == SANDBOX.pay_url(payment)
    assert "200.00" in pay_page.content.decode() and "沙箱" in pay_page.content.decode()
    assert paid.status_code == 302
    assert payment.method == PaymentMethod.ONLINE and payment.status == PaymentStatus.CONFIRMED
    assert payment.provider_transaction.startswith("SANDBOX-") and payment.receipt_number == "SJ-2026-000001"
    assert payment.receipt_number in home
    assert member_client.get(reverse("membership_receipt", args=[payment.pk])).status_code == 200


def test_starting_twice_starts_one_payment(member_client, invoice):
    start(member_client, invoice)
    start(member_client, invoice)

    assert Payment.objects.count() == 1


def test_a_cancelled_payment_leaves_the_invoice_unpaid(member_client, invoice):
    location = start(member_client, invoice)["Location"]

    member_client.post(location, {"cancel": "1"})

    assert Payment.objects.get().status == PaymentStatus.REJECTED
    assert not invoice.is_paid


def test_a_signed_notification_confirms_once_however_often_it_comes(client, member, invoice):
    payment = providers.start_online_payment(invoice, by=member.user)
    notification = SANDBOX.notification_for(payment)

    answers = [client.post(NOTIFY, notification) for _ in range(3)]

    assert [(answer.status_code, answer.content) for answer in answers] == [(200, b"success")] * 3
    assert Payment.objects.filter(status=PaymentStatus.CONFIRMED).count() == 1
    assert Payment.objects.get().receipt_number == "SJ-2026-000001"


def test_a_replayed_notification_leaves_the_confirmed_payment_as_it_was(client, member, invoice):
    payment = providers.start_online_payment(invoice, by=member.user)
    notification = SANDBOX.notification_for(payment)
    client.post(NOTIFY, notification)
    confirmed = Payment.objects.values().get()

    assert client.post(NOTIFY, notification).content == b"success"

    assert Payment.objects.values().get() == confirmed  # no refund note, no new reference
    assert confirmed["note"] == "" and confirmed["status"] == PaymentStatus.CONFIRMED


@pytest.mark.parametrize(
    "tamper",
    [
        lambda data: data.update(sign="0" * 64),
        lambda data: data.update(amount="0.01"),  # signed for 200.00
        lambda data: data.pop("sign"),
    ],
    ids=["forged-signature", "changed-amount", "unsigned"],
)
def test_a_notification_that_does_not_verify_is_refused(client, member, invoice, tamper):
    payment = providers.start_online_payment(invoice, by=member.user)
    notification = SANDBOX.notification_for(payment)
    tamper(notification)

    answer = client.post(NOTIFY, notification)

    assert answer.status_code == 400
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_a_signed_notification_for_the_wrong_amount_is_refused(client, member, invoice):
    payment = providers.start_online_payment(invoice, by=member.user)
    notification = SANDBOX.notification_for(payment)
    notification["amount"] = "0.01"
    notification["sign"] = SANDBOX.sign(notification)

    assert client.post(NOTIFY, notification).status_code == 400
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_money_received_twice_is_kept_for_a_refund(client, member, invoice):
    payment = providers.start_online_payment(invoice, by=member.user)
    officer = make_user("officer@example.com", groups=(MEMBERSHIP_OFFICERS,))
    services.record_cash(invoice, by=officer, idempotency_key="desk")

    answer = client.post(NOTIFY, SANDBOX.notification_for(payment))

    payment.refresh_from_db()
    assert answer.status_code == 200
    assert payment.status == PaymentStatus.PENDING and "退款" in payment.note
    assert Payment.objects.filter(status=PaymentStatus.CONFIRMED).count() == 1


def test_nobody_opens_another_members_payment_page(client, member_client, invoice):
    location = start(member_client, invoice)["Location"]
    other = make_member("li@example.com", number="DL-2021-0001")
    sign_in(client, other.user)

    assert client.get(location).status_code == 404
    assert client.post(location, {"pay": "1"}).status_code == 404
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_the_sandbox_can_be_switched_off(member_client, invoice, settings):
    settings.PAYMENT_SANDBOX_ENABLED = False

    start(member_client, invoice)

    assert not Payment.objects.exists()
    assert "在线支付" not in member_client.get(reverse("membership_home")).content.decode().split("<main")[1]


def receipt_text(client, payment) -> str:
    response = client.get(reverse("membership_receipt", args=[payment.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return reader.metadata.title + "\n" + reader.pages[0].extract_text()


def test_a_sandbox_payment_has_a_receipt_that_says_it_is_not_one(member_client, invoice):
    location = start(member_client, invoice)["Location"]
    member_client.post(location, {"pay": "1"})

    text = receipt_text(member_client, Payment.objects.get())

    assert "收据（沙箱测试，非正式收据）" in text
    assert "未收到任何款项" in text


@pytest.mark.parametrize("method", ["transfer", "cash"])
def test_a_real_payment_has_an_ordinary_receipt(member_client, member, invoice, method):
    officer = make_user("officer@example.com", groups=(MEMBERSHIP_OFFICERS,))
    if method == "cash":
        payment = services.record_cash(invoice, by=officer, idempotency_key="desk")
    else:
        pending = services.record_transfer(invoice, by=member.user, reference="x", voucher=None, idempotency_key="t")
        payment = services.confirm_payment(pending, by=officer)

    text = receipt_text(member_client, payment)

    assert "收据" in text and payment.receipt_number in text
    assert "沙箱" not in text and "非正式" not in text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_an_officer_confirming_a_transfer_while_the_member_pays_online_makes_one_payment():
    officer = make_user("officer@example.com", groups=(MEMBERSHIP_OFFICERS,))
    period = make_period(2026)
    for round_ in range(8):  # which one wins is left to chance: run it several times
        member = make_member(f"m{round_}@example.com", number=f"DL-2020-{round_:04d}")
        invoice = make_invoice(member, period)
        transfer = services.record_transfer(
            invoice, by=member.user, reference="x", voucher=None, idempotency_key=f"t{round_}"
        )
        member_client, officer_client = Client(), Client()
        sign_in(member_client, member.user)
        sign_in(officer_client, officer)
        pay_page = start(member_client, invoice)["Location"]
        decide = reverse("payments:decide", args=[transfer.pk])

        def press(index, decide=decide, pay_page=pay_page, member=member_client, officer=officer_client):
            if index == 0:
                return officer.post(decide, {"action": "confirm"})
            return member.post(pay_page, {"pay": "1"})

        answers = run_at_once(2, press)

        assert [getattr(answer, "status_code", answer) for answer in answers] == [302, 302]
        assert invoice.payments.filter(status=PaymentStatus.CONFIRMED).count() == 1
        online = invoice.payments.get(method=PaymentMethod.ONLINE)
        if online.status != PaymentStatus.CONFIRMED:  # the transfer came first: the money paid online is refunded
            assert online.status == PaymentStatus.PENDING and online.provider_transaction and "退款" in online.note
