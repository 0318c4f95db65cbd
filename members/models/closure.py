"""A person's copies of their own data and requests to close their account (个人信息保护法 第四十五、四十七条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import acted_at, acted_by


class ClosureStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    CANCELLED = "cancelled", _("已撤回")
    REFUSED = "refused", _("不予注销")
    CLOSED = "closed", _("已注销")


class AccountClosure(models.Model):
    """申请注销账户: made by the person, acted on by a membership officer, who closes the account
    (members.privacy.close_account) or refuses with the reason the person reads."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="closure_requests"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ClosureStatus.choices, default=ClosureStatus.PENDING, db_index=True
    )
    reason = models.TextField(_("注销原因"), max_length=1000, blank=True)
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now, db_index=True)
    cancelled_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    decided_by = acted_by(_("处理人"))
    decided_at = acted_at(_("处理时间"))
    decision_note = models.TextField(_("处理意见"), blank=True, help_text=_("不予注销的理由，申请人可以看到"))
    # What the closure erased and what it kept, as the officer was told (in the site's language).
    summary = models.JSONField(_("办理结果"), default=list, blank=True)
    # The payer's name as printed on receipts issued before the closure: the accounting archive keeps it.
    receipt_name = models.CharField(_("已开收据上的交款人"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("注销申请")
        verbose_name_plural = _("注销申请")
        ordering = ["-requested_at", "-pk"]
        permissions = [("close_account", _("可以办理账户注销"))]
        constraints = [
            # One request waiting per person: a double click or a second tab cannot open another.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="one_pending_closure_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.requested_at:%Y-%m-%d}"


class DataExport(models.Model):
    """A copy of their own data that a person downloaded: when and in which format (also the rate limit)."""

    FORMATS = [("json", "JSON"), ("csv", "CSV")]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="data_exports"
    )
    format = models.CharField(_("格式"), max_length=10, choices=FORMATS)
    at = models.DateTimeField(_("下载时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("个人数据下载")
        verbose_name_plural = _("个人数据下载")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.user} · {self.at:%Y-%m-%d %H:%M}"
