"""Dues (会费): a period per year with the amount per membership type, one invoice per member and
year, the payments against it, and exemptions. What a member owes, and so their standing, is worked
out from these when it is read (`DuesPeriod.objects.owed_by()`)."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import DateField, Exists, F, Func, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from portal.fields import acted_at, acted_by
from portal.localization.display import in_reader_script
from portal.storage import private_storage

from .membership import Member, MembershipType


class Standing(models.TextChoices):
    ACTIVE = "active", _("正常")
    GRACE = "grace", _("宽限期")
    LAPSED = "lapsed", _("已失效")
    RESIGNED = "resigned", _("已退会")


class AddDays(Func):
    """`date` plus a number of days, as a date, worked out by the database (PostgreSQL or SQLite)."""

    arity = 2
    output_field = DateField()
    template = "(%(expressions)s)"
    arg_joiner = " + "  # PostgreSQL: date + integer is a date

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", '+' || ", **extra_context
        )


class DuesPeriodQuerySet(models.QuerySet):
    def owed_by(self, member: Member | None = None, *, via: str = "") -> DuesPeriodQuerySet:
        """The dues years a member owes, each annotated with `owed_due` (when that member's dues fall due)
        and `owed_grace_ends` (the last day of their grace). The one place the rule lives:

        - a member owes every dues year from the one they joined in: a year whose due date they were a
          member on, and also the year they joined in when they joined after its due date (their dues
          then fall due on the day they joined, and the grace runs from that day);
        - unless they resigned on or before the year's due date, the year has no rate (or a rate of
          nothing) for their membership type, or an officer exempted them from that year.

        Paid or not does not matter here (`unpaid_by()` narrows to what is still to pay). `member` is a
        Member, or None for the member row of the enclosing query (`via` is the path from that query's
        rows to the member, e.g. "member__" for invoices), so one SQL query answers for any number of
        members."""
        outer, inner, joined, resigned = _member_refs(member, via)
        owed_due = Greatest(F("due_date"), joined, output_field=DateField())
        rate = DuesRate.objects.filter(period=OuterRef("pk"), membership_type_id=inner("membership_type_id"))
        exempt = DuesExemption.objects.filter(period=OuterRef("pk"), member_id=inner("pk"))
        return (
            self.filter(Q(due_date__gte=joined) | Q(year__gte=outer("joined_on__year")))
            .filter(due_date__lt=resigned)
            .filter(Exists(rate.filter(amount__gt=0)))
            .exclude(Exists(exempt))
            .annotate(owed_due=owed_due, owed_grace_ends=AddDays(owed_due, F("grace_days")))
        )

    def unpaid_by(self, member: Member | None = None, *, via: str = "") -> DuesPeriodQuerySet:
        """The dues years the member has no confirmed payment for (`member` and `via` as in `owed_by()`)."""
        _outer, inner, _joined, _resigned = _member_refs(member, via)
        paid = Payment.objects.filter(
            status=PaymentStatus.CONFIRMED, invoice__period=OuterRef("pk"), invoice__member_id=inner("pk")
        )
        return self.exclude(Exists(paid))


def _member_refs(member: Member | None, via: str):
    """How a dues period subquery names the member's fields: the values of `member`; or the enclosing
    query's row (`outer`) and the same row seen from one subquery further down (`inner`)."""
    if member is not None:

        def value(name: str):
            return member.joined_on.year if name == "joined_on__year" else getattr(member, name)

        joined = Value(member.joined_on, output_field=DateField())
        return value, value, joined, member.resigned_on or datetime.date.max

    def outer(name: str) -> OuterRef:
        return OuterRef(f"{via}{name}")

    def inner(name: str) -> OuterRef:
        return OuterRef(outer(name))

    resigned = Coalesce(outer("resigned_on"), Value(datetime.date.max), output_field=DateField())
    return outer, inner, outer("joined_on"), resigned


class DuesPeriod(ClusterableModel):
    """2026年会费: when it is due and how long the grace lasts."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("名称"), max_length=50, help_text=_("例如：2026年会费"))
    due_date = models.DateField(_("截止日期"))
    grace_days = models.PositiveSmallIntegerField(_("宽限天数"), default=90)
    invoiced_at = models.DateTimeField(_("开具账单时间"), null=True, blank=True, editable=False)

    objects = DuesPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("会费年度")
        verbose_name_plural = _("会费年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.label  # in the admin's lists and filters too, in the reader's language

    @property
    def label(self) -> str:
        """The title in the reader's language: 繁體 converted, English named after the year."""
        if (get_language() or "").startswith("en"):
            return gettext("%(year)s年会费") % {"year": self.year}
        return in_reader_script(self.title)

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


class Invoice(models.Model):
    """One member's dues for one year; issuing again never makes a second one."""

    member = models.ForeignKey(
        Member, verbose_name=pgettext_lazy("一人", "会员"), on_delete=models.PROTECT, related_name="invoices"
    )
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
        return f"{self.period} · {self.member}"

    @property
    def due_on(self) -> datetime.date:
        """When this member's dues fall due: the year's due date, or the day they joined if that was later."""
        return getattr(self, "owed_due", None) or max(self.period.due_date, self.member.joined_on)

    @property
    def transfer_reference(self) -> str:
        """What the member writes in the transfer's remark (附言) so the secretariat can match the money:
        the member number and the dues year, the same in every language."""
        return f"{self.member.number} {self.period.year}"

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
    recorded_by = acted_by(_("登记人"), blank=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    decided_by = acted_by(_("处理人"))
    decided_at = acted_at(_("处理时间"))
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


class DuesExemption(models.Model):
    """免交会费: an officer's decision that a member need not pay one dues year, with the reason."""

    member = models.ForeignKey(
        Member, verbose_name=pgettext_lazy("一人", "会员"), on_delete=models.CASCADE, related_name="dues_exemptions"
    )
    period = models.ForeignKey(
        DuesPeriod, verbose_name=_("会费年度"), on_delete=models.PROTECT, related_name="exemptions"
    )
    reason = models.TextField(_("理由"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会费免交")
        verbose_name_plural = _("会费免交记录")
        ordering = ["-period__year", "member__number"]
        constraints = [models.UniqueConstraint(fields=["member", "period"], name="one_exemption_per_member_and_year")]

    def __str__(self) -> str:
        return f"{self.period} · {self.member}"


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
