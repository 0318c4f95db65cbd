"""Dues (会费): a period per year with the amount per membership type, one invoice per member and
year, and the payments against it. A member's standing is worked out from these when it is read."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from .membership import Member, MembershipType, private_storage


class Standing(models.TextChoices):
    ACTIVE = "active", _("正常")
    GRACE = "grace", _("宽限期")
    LAPSED = "lapsed", _("已失效")
    RESIGNED = "resigned", _("已退会")


class DuesPeriod(ClusterableModel):
    """2026年会费: when it is due and how long the grace lasts."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("名称"), max_length=50, help_text=_("例如：2026年会费"))
    due_date = models.DateField(_("截止日期"))
    grace_days = models.PositiveSmallIntegerField(_("宽限天数"), default=90)

    class Meta:
        verbose_name = _("会费年度")
        verbose_name_plural = _("会费年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    @property
    def grace_ends(self) -> datetime.date:
        return self.due_date + datetime.timedelta(days=self.grace_days)


class DuesRate(models.Model):
    period = ParentalKey(DuesPeriod, verbose_name=_("会费年度"), on_delete=models.CASCADE, related_name="rates")
    membership_type = models.ForeignKey(
        MembershipType, verbose_name=_("会员类型"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("金额（元）"), max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = _("会费标准")
        verbose_name_plural = _("会费标准")
        constraints = [models.UniqueConstraint(fields=["period", "membership_type"], name="one_rate_per_type_and_year")]

    def __str__(self) -> str:
        return f"{self.period} {self.membership_type}: {self.amount}"


class InvoiceQuerySet(models.QuerySet):
    def unpaid(self) -> InvoiceQuerySet:
        paid = Payment.objects.filter(invoice=OuterRef("pk"), status=PaymentStatus.CONFIRMED)
        return self.filter(~Exists(paid))

    def overdue(self, on: datetime.date) -> InvoiceQuerySet:
        """Unpaid after the due date."""
        return self.unpaid().filter(period__due_date__lt=on)

    def lapsed(self, on: datetime.date) -> InvoiceQuerySet:
        """Unpaid after the grace period."""
        return self.unpaid().filter(grace_ends__lt=on)


class Invoice(models.Model):
    """One member's dues for one year; issuing again never makes a second one."""

    member = models.ForeignKey(Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="invoices")
    period = models.ForeignKey(
        DuesPeriod, verbose_name=_("会费年度"), on_delete=models.PROTECT, related_name="invoices"
    )
    amount = models.DecimalField(_("应交金额（元）"), max_digits=9, decimal_places=2)
    grace_ends = models.DateField(_("宽限截止"), db_index=True)
    issued_at = models.DateTimeField(_("开具时间"), default=timezone.now)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("会费账单")
        verbose_name_plural = _("会费账单")
        ordering = ["-period__year", "member__number"]
        constraints = [models.UniqueConstraint(fields=["member", "period"], name="one_invoice_per_member_and_year")]

    def __str__(self) -> str:
        return f"{self.period.title} · {self.member}"

    @cached_property
    def confirmed_payment(self) -> Payment | None:
        return next((p for p in self.payments.all() if p.status == PaymentStatus.CONFIRMED), None)

    @property
    def is_paid(self) -> bool:
        return self.confirmed_payment is not None

    @property
    def pending_transfer(self) -> Payment | None:
        """A bank transfer the member registered that an officer has not confirmed yet."""
        return next(
            (
                p
                for p in self.payments.all()
                if p.status == PaymentStatus.PENDING and p.method == PaymentMethod.TRANSFER
            ),
            None,
        )


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("对公转账")
    CASH = "cash", _("现金/现场")
    ONLINE = "online", _("在线支付")
    IMPORTED = "imported", _("历史记录导入")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已驳回")
    VOIDED = "voided", _("已作废")
    REFUNDED = "refunded", _("已退款")


class Payment(models.Model):
    """A payment of an invoice. Never deleted: voided or refunded with a reason instead."""

    invoice = models.ForeignKey(Invoice, verbose_name=_("账单"), on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("方式"), max_length=20, choices=PaymentMethod.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING, db_index=True
    )
    amount = models.DecimalField(_("金额（元）"), max_digits=9, decimal_places=2)
    reference = models.CharField(_("转账流水号/备注"), max_length=100, blank=True)
    voucher = models.FileField(_("转账凭证"), upload_to="vouchers/%Y/", storage=private_storage, blank=True)
    provider_transaction = models.CharField(_("支付平台交易号"), max_length=100, blank=True)
    # One payment per form or callback, however often it is sent.
    idempotency_key = models.CharField(max_length=100, unique=True, default=uuid.uuid4, editable=False)
    receipt_number = models.CharField(_("收据编号"), max_length=30, unique=True, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True, help_text=_("驳回、作废或退款的理由"))

    class Meta:
        verbose_name = _("缴费记录")
        verbose_name_plural = _("缴费记录")
        ordering = ["-created_at", "-pk"]
        permissions = [("confirm_payment", _("可以确认、作废缴费"))]
        constraints = [
            # An invoice is paid once: a second confirmation cannot happen, even from two officers at once.
            models.UniqueConstraint(
                fields=["invoice"], condition=Q(status="confirmed"), name="one_confirmed_payment_per_invoice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount} ({self.get_status_display()})"


class DuesReminder(models.Model):
    """A reminder e-mailed about an invoice, `offset` days before its due date (negative: after it).
    One per invoice and offset, so a reminder run repeated never sends it twice."""

    invoice = models.ForeignKey(Invoice, verbose_name=_("账单"), on_delete=models.CASCADE, related_name="reminders")
    offset = models.SmallIntegerField(_("距截止日期（天）"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    email = models.EmailField(_("收件地址"))

    class Meta:
        verbose_name = _("会费提醒")
        verbose_name_plural = _("会费提醒")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["invoice", "offset"], name="one_reminder_per_offset")]

    def __str__(self) -> str:
        return f"{self.invoice} ({self.offset})"
