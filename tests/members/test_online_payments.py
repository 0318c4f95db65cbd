"""Online payment with the sandbox provider: its pay page, its signed notification, replays and
forgeries, and the invoice paid exactly once."""

import pytest
from django.test import Client
from django.urls import reverse

from members import providers, services
from members.models import Payment, PaymentMethod, PaymentStatus
from portal.roles import MEMBERSHIP_OFFICERS
from tests.conftest import make_user, sign_in
from tests.members.factories import make_invoice, make_member, make_period

pytestmark = pytest.mark.django_db

SANDBOX = providers.PROVIDERS["sandbox"]
NOTIFY = "/membership/payments/notify/sandbox/"


@pytest.fixture
def member(db):
    return make_member("wang@example.com", number="DL-2020-0007")


@pytest.fixture
def invoice(member):
    return make_invoice(member, make_period(2026))


@pytest.fixture
def member_client(member) -> Client:
    client = Client()
    sign_in(client, member.user)
    return client


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
