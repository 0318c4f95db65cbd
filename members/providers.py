"""Online payment providers: start a payment on the provider's pay page, then accept its signed
notification. The notification, not the visitor's return to the site, is what marks an invoice
paid; a notification whose signature does not verify is refused, and the same one received again
changes nothing.

`SandboxProvider` is a complete provider that runs here: its own pay page, and notifications
signed with HMAC-SHA256. A real one (WeChat Pay, Alipay) is a subclass that sends the visitor to
the provider and verifies the provider's signature (RSA or SM2 certificates, from the environment)
in `verify()`; the rest of the flow, `handle_notification()`, stays as it is.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .models import Invoice, Payment, PaymentMethod, PaymentStatus


class BadNotification(ValidationError):
    """A notification that must not be trusted: wrong signature, unknown payment, wrong amount."""


@dataclass(frozen=True)
class Notification:
    payment_key: str  # our Payment.idempotency_key, sent to the provider as the order number
    transaction: str  # the provider's own transaction number
    amount: Decimal
    paid: bool


class PaymentProvider(ABC):
    """What a provider must do; `handle_notification()` does the rest."""

    name = ""
    label = ""
    moves_money = True  # False: a test provider, whose payments receive nothing

    @abstractmethod
    def pay_url(self, payment: Payment) -> str:
        """Where the member pays `payment` (the provider's page, our order number attached)."""

    @abstractmethod
    def verify(self, data: dict) -> Notification:
        """The notification in `data`, or BadNotification if its signature does not verify."""


class SandboxProvider(PaymentProvider):
    """Pays with nothing real: for trying the online payment and for the tests."""

    name = "sandbox"
    label = _("在线支付（沙箱演示）")
    moves_money = False

    @staticmethod
    def _secret() -> bytes:
        secret = settings.PAYMENT_SANDBOX_SECRET or settings.SECRET_KEY
        return hashlib.sha256(f"sandbox-payments:{secret}".encode()).digest()

    @classmethod
    def sign(cls, data: dict) -> str:
        message = "&".join(f"{key}={data[key]}" for key in sorted(data) if key != "sign")
        return hmac.new(cls._secret(), message.encode(), hashlib.sha256).hexdigest()

    def pay_url(self, payment: Payment) -> str:
        return reverse("membership_sandbox_pay", args=[payment.idempotency_key])

    def notification_for(self, payment: Payment, *, paid: bool = True) -> dict:
        """What the sandbox sends when the visitor pays: signed like a provider's callback."""
        data = {
            "out_trade_no": payment.idempotency_key,
            "transaction_id": f"SANDBOX-{uuid.uuid4().hex[:20].upper()}",
            "amount": f"{payment.amount:.2f}",
            "status": "SUCCESS" if paid else "CLOSED",
            "time": timezone.now().strftime("%Y%m%d%H%M%S"),
        }
        data["sign"] = self.sign(data)
        return data

    def verify(self, data: dict) -> Notification:
        expected = self.sign(data)
        if not hmac.compare_digest(expected, str(data.get("sign", ""))):
            raise BadNotification(_("签名无效。"))
        try:
            amount = Decimal(data["amount"])
            return Notification(data["out_trade_no"], data["transaction_id"], amount, data["status"] == "SUCCESS")
        except (KeyError, ArithmeticError) as exc:
            raise BadNotification(_("通知内容不完整。")) from exc


PROVIDERS = {provider.name: provider for provider in (SandboxProvider(),)}


def received_no_money(payment: Payment) -> bool:
    """An online payment that was not confirmed through a real provider: the sandbox's, or one whose
    provider (recorded as "name:transaction" in its reference) is unknown. Its receipt must say so."""
    if payment.method != PaymentMethod.ONLINE:
        return False
    provider = PROVIDERS.get(payment.reference.partition(":")[0])
    return provider is None or not provider.moves_money


def provider_named(name: str) -> PaymentProvider:
    try:
        return PROVIDERS[name]
    except KeyError as exc:
        raise BadNotification(_("未知的支付方式。")) from exc


@transaction.atomic
def start_online_payment(invoice: Invoice, *, by) -> Payment:
    """The online payment of an invoice, reused while it is still open (a double click starts one)."""
    Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.payments.filter(status=PaymentStatus.CONFIRMED).exists():
        raise ValidationError(_("这张账单已经付清。"))
    payment = invoice.payments.filter(method=PaymentMethod.ONLINE, status=PaymentStatus.PENDING).first()
    return payment or Payment.objects.create(
        invoice=invoice, method=PaymentMethod.ONLINE, amount=invoice.amount, recorded_by=by
    )


@transaction.atomic
def handle_notification(provider: PaymentProvider, data: dict) -> Payment:
    """Apply a provider's notification: verify it, then confirm the payment once."""
    notification = provider.verify(data)
    # The payment and its invoice locked together: an officer confirming another payment of the same
    # invoice (which locks the invoice too) waits, or is waited for, so "paid meanwhile" below is true.
    payment = (
        Payment.objects.select_for_update(of=("self", "invoice"))
        .select_related("invoice")
        .filter(idempotency_key=notification.payment_key)
        .first()
    )
    if payment is None or payment.method != PaymentMethod.ONLINE:
        raise BadNotification(_("找不到对应的缴费。"))
    if notification.amount != payment.amount:
        raise BadNotification(_("金额不符。"))
    if payment.status == PaymentStatus.CONFIRMED:
        return payment  # the same notification again: nothing changes
    if not notification.paid:
        return services.close_payment(payment, PaymentStatus.REJECTED, by=None, reason=_("支付未完成。"))
    if payment.invoice.payments.filter(status=PaymentStatus.CONFIRMED).exists():
        # Paid meanwhile another way: the money came in twice, so an officer refunds this one.
        payment.provider_transaction = notification.transaction
        payment.note = _("账单已通过其他方式付清，这笔在线支付需要退款。")
        payment.save(update_fields=["provider_transaction", "note"])
        return payment
    payment.provider_transaction = notification.transaction
    payment.reference = f"{provider.name}:{notification.transaction}"
    payment.save(update_fields=["provider_transaction", "reference"])
    return services.confirm_payment(payment, by=None)
