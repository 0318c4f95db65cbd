"""What is submitted to a call: the form versions submissions are made with, the submissions
themselves (one per person or organisation), their reviews, reminders and attached files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import Member, User
from portal.fields import acted_by
from portal.storage import private_storage
from portal.vetting.enums import Status
from portal.vetting.models import Review, Submission

from ..enums import Consent

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from .pages import CallPage, in_language

# Statuses in which a submission still counts as the person's or organisation's one submission.
OPEN_STATUSES = [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.NOTICE, Status.ACCEPTED]


class FormVersion(models.Model):
    """A call's form as it was when submissions were made with it. Never changed once made."""

    call = models.ForeignKey(CallPage, verbose_name=_("征集"), on_delete=models.CASCADE, related_name="form_versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    definition = models.JSONField(_("表单"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("表单版本")
        verbose_name_plural = _("表单版本")
        ordering = ["call", "number"]
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="one_form_version_number_per_call")]

    def __str__(self) -> str:
        return f"{self.call.title} v{self.number}"

    @property
    def fields(self) -> list[dict]:
        return self.definition.get("fields", [])

    @property
    def categories(self) -> list[dict]:
        return self.definition.get("categories", [])

    @property
    def criteria(self) -> list[dict]:
        return self.definition.get("criteria", [])

    def review_criteria(self) -> list[tuple[str, StrOrPromise, int, int]]:
        """(key, label in the reader's language, 0, full marks) of each criterion of this version."""
        return [
            (criterion["key"], in_language(criterion["name"], criterion["name_en"]), 0, criterion["full_marks"])
            for criterion in self.criteria
        ]


class CallSubmissionQuerySet(models.QuerySet):
    def of(self, user) -> CallSubmissionQuerySet:
        """Submissions `user` may see and act on: their own, and those of the organisations they act for."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            models.Q(organisation__isnull=True, applicant=user)
            | models.Q(organisation__in=Member.objects.acted_for_by(user).values("pk"))
        )


class CallSubmission(Submission):
    """What a person, or an organisation through any of its contacts, submits to a call: one each."""

    call = models.ForeignKey(CallPage, verbose_name=_("征集"), on_delete=models.PROTECT, related_name="submissions")
    applicant = models.ForeignKey(
        User, verbose_name=_("填报人账户"), on_delete=models.PROTECT, related_name="call_submissions"
    )
    organisation = models.ForeignKey(
        Member,
        verbose_name=_("填报单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="call_submissions",
    )
    number = models.PositiveIntegerField(_("编号"), null=True, blank=True, help_text=_("首次提交时按顺序编号"))
    form_version = models.ForeignKey(
        FormVersion, verbose_name=_("表单版本"), on_delete=models.PROTECT, related_name="submissions"
    )
    category_key = models.CharField(_("类别"), max_length=20, blank=True)
    answers = models.JSONField(_("填报内容"), default=dict, blank=True)
    self_scores = models.JSONField(_("自评"), default=dict, blank=True)
    nominee = models.ForeignKey(
        User,
        verbose_name=_("被推荐人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="call_nominations",
        help_text=_("评选表彰：被推荐的会员（本人申报时为填报人自己）"),
    )
    consent = models.CharField(_("被推荐人确认"), max_length=20, choices=Consent.choices, blank=True)
    consent_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    grade = models.CharField(_("考评等次"), max_length=20, blank=True)
    council_meeting_on = models.DateField(
        _("理事会审议日期"), null=True, blank=True, help_text=_("由理事会（常务理事会）审议决定的，填写会议日期")
    )

    objects = CallSubmissionQuerySet.as_manager()

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.SUBMITTED: {Status.APPROVED, Status.REJECTED, Status.RETURNED, Status.WITHDRAWN},
        Status.RETURNED: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.APPROVED: {Status.NOTICE, Status.WITHDRAWN},
        Status.NOTICE: {Status.ACCEPTED, Status.WITHDRAWN},
    }

    class Meta:
        verbose_name = _("征集填报")
        verbose_name_plural = _("征集填报")
        ordering = ["call", "number", "pk"]
        permissions = [
            ("review_callsubmission", _("可以评审征集填报")),
            ("decide_callsubmission", _("可以决定评选结果")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "applicant"],
                condition=models.Q(organisation__isnull=True, status__in=OPEN_STATUSES),
                name="one_open_call_submission_per_person",
            ),
            models.UniqueConstraint(
                fields=["call", "organisation"],
                condition=models.Q(organisation__isnull=False, status__in=OPEN_STATUSES),
                name="one_open_call_submission_per_organisation",
            ),
            models.UniqueConstraint(fields=["call", "number"], name="one_call_submission_number_per_call"),
        ]

    def __str__(self) -> str:
        return f"{self.call.title} · {self.submitter_name}"

    @property
    def submitter_name(self) -> str:
        if self.organisation is not None:
            return self.organisation.full_name
        member = getattr(self.applicant, "member", None)
        return member.full_name if member else (self.applicant.get_full_name() or self.applicant.email)

    @property
    def public_name(self) -> str:
        """Who a 公示, a results notice and a certificate name: the member nominated, else the submitter."""
        nominee = self.nominee
        if nominee is not None:
            member = getattr(nominee, "member", None)
            return member.full_name if member else (nominee.get_full_name() or nominee.email)
        return self.submitter_name

    @property
    def form_path(self) -> str:
        """Where its submitter (or the organisation's contacts) find it, in the default language."""
        if self.organisation_id:
            return reverse("calls:form_for", args=[self.call_id, self.organisation_id])
        return reverse("calls:form", args=[self.call_id])

    @property
    def recipients(self) -> list[str]:
        """Who is told about it: the person who sent it, and the organisation's own account."""
        addresses = [self.applicant.email]
        if self.organisation is not None and self.organisation.user.email not in addresses:
            addresses.append(self.organisation.user.email)
        return addresses

    @property
    def reference(self) -> str:
        """What the submitter and staff quote: the call's id and the submission's number."""
        return f"{self.call_id}-{self.number:04d}" if self.number else ""

    def review_criteria(self) -> list[tuple[str, StrOrPromise, int, int]]:
        """The criteria of the form version the submission was made with, each out of its full marks."""
        return self.form_version.review_criteria()

    @property
    def full_marks(self) -> int:
        return sum(high for _key, _label, _low, high in self.review_criteria())

    @property
    def self_total(self) -> int | None:
        return sum(int(value) for value in self.self_scores.values()) if self.self_scores else None

    @property
    def category(self) -> dict | None:
        return next((c for c in self.form_version.categories if c["key"] == self.category_key), None)

    @property
    def grade_name(self) -> str:
        return self.call.grade_label(self.grade) if self.grade else ""

    @property
    def category_name(self) -> str:
        category = self.category
        return in_language(category["name"], category["name_en"]) if category else ""


class CallReview(Review):
    submission = models.ForeignKey(
        CallSubmission, verbose_name=_("征集填报"), on_delete=models.CASCADE, related_name="reviews"
    )

    class Meta:
        verbose_name = _("征集评审")
        verbose_name_plural = _("征集评审")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer", "round_of"], name="one_call_review_per_reviewer_and_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission} / {self.reviewer}"


class CallReminder(models.Model):
    """A reminder sent to a member or organisation that has not submitted to a call: at most one a day."""

    call = models.ForeignKey(CallPage, verbose_name=_("征集"), on_delete=models.CASCADE, related_name="reminders")
    member = models.ForeignKey(Member, verbose_name=_("会员"), on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField(_("发送日期"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    sent_by = acted_by(_("发送人"))

    class Meta:
        verbose_name = _("填报提醒")
        verbose_name_plural = _("填报提醒")
        constraints = [models.UniqueConstraint(fields=["call", "member", "sent_on"], name="one_call_reminder_a_day")]

    def __str__(self) -> str:
        return f"{self.call.title} · {self.member} · {self.sent_on:%Y-%m-%d}"


def submission_file_path(instance: SubmissionFile, filename: str) -> str:
    return f"calls/{instance.submission.call_id}/{filename}"


class SubmissionFile(models.Model):
    """A file attached to one field of a submission, kept private and checked by its content."""

    submission = models.ForeignKey(
        CallSubmission, verbose_name=_("征集填报"), on_delete=models.CASCADE, related_name="files"
    )
    field_key = models.CharField(_("字段"), max_length=20)
    file = models.FileField(_("文件"), upload_to=submission_file_path, storage=private_storage)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now=True)

    class Meta:
        verbose_name = _("填报附件")
        verbose_name_plural = _("填报附件")
        constraints = [models.UniqueConstraint(fields=["submission", "field_key"], name="one_file_per_field")]

    def __str__(self) -> str:
        return self.file.name
