"""The one review pipeline: call → submission → review → decision → public notice → announcement.

A submission moves between statuses by recorded transitions. Reviewers score it independently,
a chair decides, and where a decision is announced publicly first, a round of decisions (an
expert batch, an awards list) is published for a notice period counted in working days, during
which anyone may object. Membership applications use the first part; expert applications use all
of it. Each domain keeps its own concrete models and forms; the statuses, the rules of who may
move a submission where, reviews, objections and the audit trail are shared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import acted_at, acted_by

from .enums import NoticeStatus, ObjectionOutcome, Status

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager
    from django_stubs_ext import StrOrPromise


class Submission(models.Model):
    """Something a person submits and staff decide on."""

    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, db_index=True)
    decided_at = acted_at(_("处理时间"))
    decided_by = acted_by(_("处理人"))
    decision_note = models.TextField(
        _("处理意见"), blank=True, help_text=_("未通过的理由或退回修改的意见，申请人可以看到")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    # The moves a domain allows: {from: {to, ...}}. Applicants submit and withdraw, staff decide.
    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.SUBMITTED: {Status.APPROVED, Status.REJECTED, Status.RETURNED, Status.WITHDRAWN},
        Status.RETURNED: {Status.SUBMITTED, Status.WITHDRAWN},
    }
    # Decisions that must say why (the applicant reads it).
    NEEDS_NOTE = {Status.REJECTED, Status.RETURNED}
    # Domains with reviews: the criteria each reviewer scores, on this scale.
    REVIEW_CRITERIA: tuple[tuple[str, StrOrPromise], ...] = ()
    REVIEW_SCALE = (1, 5)
    # Declared by each domain's concrete review model (`related_name="reviews"`).
    reviews: RelatedManager[Any]

    class Meta:
        abstract = True

    def review_criteria(self) -> list[tuple[str, StrOrPromise, int, int]]:
        """(key, label, lowest, highest score) of each criterion reviewers score: the class's
        REVIEW_CRITERIA on REVIEW_SCALE; a domain whose criteria are set per round overrides it."""
        low, high = self.REVIEW_SCALE
        return [(key, label, low, high) for key, label in self.REVIEW_CRITERIA]

    @property
    def is_editable(self) -> bool:
        """The applicant may change it: a draft, or returned for changes."""
        return self.status in (Status.DRAFT, Status.RETURNED)

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    def transitions(self):
        return Transition.objects.filter(
            content_type=ContentType.objects.get_for_model(type(self)), object_id=self.pk
        ).select_related("by")


class Transition(models.Model):
    """One move of a submission, with who made it, when and why. Never edited or deleted."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    submission = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField(_("原状态"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Review(models.Model):
    """One reviewer's independent assessment: a score per criterion and a comment, or a declared
    conflict of interest (then no scores). A concrete review names its submission `submission`,
    with `related_name="reviews"`, and is unique per submission, reviewer and round."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评审人"), on_delete=models.PROTECT, related_name="+"
    )
    scores = models.JSONField(_("评分"), default=dict, blank=True)
    comment = models.TextField(_("评审意见"), blank=True)
    conflict = models.BooleanField(_("申明利益冲突"), default=False)
    conflict_note = models.CharField(_("利益冲突说明"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # The submission's submitted_at when this review was made: a submission returned for changes and
    # submitted again is reviewed afresh, and the earlier round's reviews stay on record.
    round_of = models.DateTimeField(_("评审轮次"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None and not self.conflict

    @property
    def total(self) -> int:
        return sum(int(value) for value in self.scores.values())


class PublicNotice(models.Model):
    """A round of decisions published together for a public notice period (公示期) before they
    take effect: staff open it, add approved submissions, publish it, and close it afterwards."""

    status = models.CharField(
        _("状态"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.OPEN, db_index=True
    )
    working_days = models.PositiveSmallIntegerField(
        _("公示期（工作日）"), default=5, help_text=_("按工作日计算，跳过法定节假日，调休上班日计入")
    )
    published_at = acted_at(_("发布时间"))
    published_by = acted_by(_("发布人"))
    notice_starts = models.DateField(_("公示开始"), null=True, blank=True)
    notice_ends = models.DateField(_("公示截止"), null=True, blank=True)
    closed_at = acted_at(_("结束时间"))
    closed_by = acted_by(_("结束人"))
    # Declared by each domain's concrete objection model (`related_name="objections"`).
    objections: RelatedManager[Any]

    class Meta:
        abstract = True

    def accepts_objections(self, today) -> bool:
        return (
            self.status == NoticeStatus.NOTICE
            and self.notice_starts is not None
            and self.notice_starts <= today <= self.notice_ends
        )

    def notice_period_over(self, today) -> bool:
        return self.status == NoticeStatus.NOTICE and self.notice_ends is not None and today > self.notice_ends


class Objection(models.Model):
    """An objection raised by anyone during a notice period. Never shown publicly; a reviewer records
    whether it is upheld, and why."""

    name = models.CharField(_("姓名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100, help_text=_("手机号码或电子邮箱，仅用于核实情况"))
    grounds = models.TextField(_("异议理由"), max_length=5000)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    outcome = models.CharField(
        _("处理结果"), max_length=20, choices=ObjectionOutcome.choices, default=ObjectionOutcome.PENDING, db_index=True
    )
    resolution = models.TextField(_("处理意见"), blank=True)
    resolved_by = acted_by(_("处理人"))
    resolved_at = acted_at(_("处理时间"))

    class Meta:
        abstract = True


class CalendarAdjustment(models.Model):
    """A day whose status differs from the official calendar the portal knows: a year's schedule
    announced before the calendar library has it, or a local holiday."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("工作日"), help_text=_("勾选表示当天上班（如调休），不勾选表示放假"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.note}"
