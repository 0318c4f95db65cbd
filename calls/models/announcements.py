"""After the decisions: the selected entries announced for a public notice period (公示) with the
objections raised during it, and the award certificates (荣誉证书) issued once it closes."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import acted_at, acted_by
from portal.vetting.models import Objection, PublicNotice

from .pages import CallPage
from .submissions import CallSubmission

# Letters and digits that cannot be misread for one another when typed from paper (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16  # 31^16 ≈ 7·10^23: never guessed at the verification page's rate limit


def new_certificate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _index in range(CODE_LENGTH))


class CallAnnouncement(PublicNotice):
    """A call's selected entries, announced together for a notice period, then confirmed."""

    call = models.OneToOneField(CallPage, verbose_name=_("征集"), on_delete=models.PROTECT, related_name="announcement")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    notice_page = models.ForeignKey(
        "notices.NoticePage",
        verbose_name=_("公示通告"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    result_page = models.ForeignKey(
        "notices.NoticePage",
        verbose_name=_("结果通告"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("评选结果公示")
        verbose_name_plural = _("评选结果公示")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(self.call.title)


class CallObjection(Objection):
    announcement = models.ForeignKey(
        CallAnnouncement, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="objections"
    )
    submission = models.ForeignKey(
        CallSubmission,
        verbose_name=_("所涉对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
        help_text=_("异议针对的入选对象；不针对具体对象可不选"),
    )
    # The form it was sent from: a double click or a resent form records one objection.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("评选公示异议")
        verbose_name_plural = _("评选公示异议")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.announcement} · {self.name}"


class CallCertificate(models.Model):
    """荣誉证书: issued to each entry an award call confirms, with a code anyone can check it by."""

    submission = models.OneToOneField(
        CallSubmission, verbose_name=_("征集填报"), on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(_("查验码"), max_length=CODE_LENGTH, unique=True, default=new_certificate_code)
    holder = models.CharField(_("获奖者"), max_length=200)
    honour = models.CharField(_("荣誉称号"), max_length=200, help_text=_("如“2021年度先进个人”"))
    issued_on = models.DateField(_("颁发日期"))
    revoked_at = acted_at(_("撤销时间"))
    revoked_by = acted_by(_("撤销人"))
    revoked_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("荣誉证书")
        verbose_name_plural = _("荣誉证书")
        ordering = ["-issued_on", "pk"]

    def __str__(self) -> str:
        return f"{self.holder} · {self.honour}"

    @property
    def display_code(self) -> str:
        """The code as printed: four groups of four."""
        return "-".join(self.code[index : index + 4] for index in range(0, len(self.code), 4))
