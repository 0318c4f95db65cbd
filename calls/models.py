"""征集 · 评选 · 申报: calls published in the notice centre, the forms staff define for them, and what
people and organisations submit, on the review pipeline (portal/vetting).

A call is a notice (it is listed, searched and translated as one) with a form. The form is part of
the call page in the default language; its translations show the same form with the labels in
their language (English as typed, 繁體 converted). Every saved submission names the version of
the form it was filled in with, so a later change to the form never changes what was submitted.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.models import Locale, Orderable

from members.models import Member, User
from notices.models import NoticePage
from portal.fields import acted_by
from portal.localization.display import in_reader_script
from portal.pagecache import cache_briefly, seconds_until_midnight
from portal.storage import private_storage
from portal.vetting import workdays
from portal.vetting.enums import Status
from portal.vetting.models import Review, Submission

from .enums import CallKind, CallState, Consent, Eligibility, FieldType

# Statuses in which a submission still counts as the person's or organisation's one submission.
OPEN_STATUSES = [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.NOTICE, Status.ACCEPTED]
CHOICE_TYPES = (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE)
MAX_TABLE_ROWS = 50
# The kinds of call whose submissions reviewers score before the chair decides.
REVIEWED_KINDS = (CallKind.NOMINATION, CallKind.EVALUATION, CallKind.PROJECT)


def in_language(chinese: str, english: str = "") -> str:
    """A text staff typed in 简体 (and optionally English), for the reader's language."""
    if (get_language() or "").startswith("en"):
        return english or chinese
    return in_reader_script(chinese)


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def new_key() -> str:
    return uuid.uuid4().hex[:10]


class CallPage(NoticePage):
    """征集: a notice that takes submissions between its opening and closing time."""

    kind = models.CharField(_("征集类型"), max_length=20, choices=CallKind.choices, default=CallKind.NOMINATION)
    eligibility = models.CharField(
        _("谁可以填报"), max_length=20, choices=Eligibility.choices, default=Eligibility.MEMBERS
    )
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"), help_text=_("过了这个时间不再接受填报和修改"))
    instructions = models.TextField(_("填报说明"), blank=True, help_text=_("显示在填报表单上方"))
    instructions_en = models.TextField(_("填报说明（English）"), blank=True)
    nominee_years = models.PositiveSmallIntegerField(
        _("被推荐人入会年限"),
        default=0,
        help_text=_("评选表彰：被推荐人须为会籍正常的会员，且入会满这么多年；0 表示不限"),
    )
    reviews_required = models.PositiveSmallIntegerField(
        _("每份材料的评审人数"), default=3, help_text=_("评选、考评和项目申报：截止后由评审专家独立评分")
    )

    call_panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("eligibility")]),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldPanel("nominee_years"),
        FieldPanel("instructions"),
        FieldPanel("instructions_en"),
        InlinePanel("categories", heading=_("类别与名额"), label=_("类别")),
        FieldPanel("reviews_required"),
        InlinePanel(
            "criteria",
            heading=_("评审标准"),
            label=_("标准"),
            help_text=_("每项的满分即其权重；考评时填报单位按同样的标准自评"),
        ),
    ]
    form_panels = [InlinePanel("form_fields", heading=_("填报表单"), label=_("字段"))]
    edit_handler = TabbedInterface(
        [
            ObjectList(NoticePage.content_panels, heading=_("内容")),
            ObjectList(call_panels, heading=_("征集设置")),
            ObjectList(form_panels, heading=_("表单")),
            ObjectList(NoticePage.promote_panels, heading=_("推广")),
            ObjectList(NoticePage.settings_panels, heading=_("设置")),
        ]
    )

    template = "calls/call_page.html"
    parent_page_types = ["notices.NoticeIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("征集")
        verbose_name_plural = _("征集")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("截止时间须晚于开始时间。")})

    def save(self, *args, **kwargs):
        # The notice's own deadline: listings and the badge show 已截止 from the day after.
        if self.closes_at:
            self.closing_date = timezone.localtime(self.closes_at).date()
        return super().save(*args, **kwargs)

    def original(self) -> CallPage:
        """The call in the default language: it holds the form and the submissions of every language."""
        if self.locale_id == Locale.get_default().pk:
            return self
        return (
            CallPage.objects.filter(translation_key=self.translation_key, locale=Locale.get_default()).first() or self
        )

    def state(self, now: datetime.datetime | None = None) -> CallState:
        now = now or timezone.now()
        if now < self.opens_at:
            return CallState.UPCOMING
        return CallState.OPEN if now < self.closes_at else CallState.CLOSED

    @property
    def is_open(self) -> bool:
        return self.state() == CallState.OPEN

    def working_days_left(self) -> int:
        """Working days until the deadline, today and the closing day included."""
        return workdays.working_days_left(timezone.localdate(), timezone.localtime(self.closes_at).date())

    @property
    def instructions_text(self) -> str:
        return in_language(self.instructions, self.instructions_en)

    def definition(self) -> dict:
        """The form as it stands: what a new version records."""
        return {
            "fields": [field.definition() for field in self.form_fields.all()],
            "categories": [category.definition() for category in self.categories.all()],
            "criteria": [criterion.definition() for criterion in self.criteria.all()],
        }

    @property
    def takes_organisations(self) -> bool:
        """Organisations submit, as the organisation, through their account or named contacts."""
        return self.eligibility in (Eligibility.ORGANISATIONS, Eligibility.BRANCHES)

    @property
    def takes_nominations(self) -> bool:
        """评选表彰: a member applies for themselves or nominates another member, who must agree."""
        return self.kind == CallKind.NOMINATION and not self.takes_organisations

    @property
    def is_reviewed(self) -> bool:
        return self.kind in REVIEWED_KINDS

    @property
    def asks_self_assessment(self) -> bool:
        """Evaluations (考评) carry the submitter's own scores against the reviewers' criteria."""
        return self.kind == CallKind.EVALUATION

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # What the page says (征集中, the days left, 已截止) changes at the opening and closing time.
        now = timezone.now()
        ahead = [moment for moment in (self.opens_at, self.closes_at) if moment > now]
        seconds = min([seconds_until_midnight(), *(int((moment - now).total_seconds()) + 1 for moment in ahead)])
        cache_briefly(response, min(seconds, getattr(response, "page_cache_seconds", None) or seconds))
        return response


class CallCategory(Orderable):
    """先进集体, 先进个人, 优秀工作者 …: what a submission is for, with the number that may be selected."""

    page = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="categories")
    key = models.CharField(max_length=20, default=new_key, editable=False)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("名称（English）"), max_length=100, blank=True)
    quota = models.PositiveSmallIntegerField(_("名额"), null=True, blank=True, help_text=_("留空表示不限"))

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("name_en"), FieldPanel("quota")])]

    class Meta(Orderable.Meta):
        verbose_name = _("类别")
        verbose_name_plural = _("类别")

    def __str__(self) -> str:
        return self.name

    def definition(self) -> dict:
        return {"key": self.key, "name": self.name, "name_en": self.name_en, "quota": self.quota}


class CallCriterion(Orderable):
    """工作业绩 40 分, 社会影响 30 分 …: what reviewers score, out of its full marks (its weight)."""

    page = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="criteria")
    key = models.CharField(max_length=20, default=new_key, editable=False)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("名称（English）"), max_length=100, blank=True)
    full_marks = models.PositiveSmallIntegerField(_("满分"), default=10)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("name_en"), FieldPanel("full_marks")])]

    class Meta(Orderable.Meta):
        verbose_name = _("评审标准")
        verbose_name_plural = _("评审标准")

    def __str__(self) -> str:
        return self.name

    def definition(self) -> dict:
        return {"key": self.key, "name": self.name, "name_en": self.name_en, "full_marks": self.full_marks}


class CallField(Orderable):
    """One field of a call's form, with its label and help in Chinese and English (繁體 converted)."""

    page = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="form_fields")
    # What the answers are kept under: the same across versions of the form and across languages.
    key = models.CharField(max_length=20, default=new_key, editable=False)
    field_type = models.CharField(_("类型"), max_length=20, choices=FieldType.choices, default=FieldType.SHORT_TEXT)
    label = models.CharField(_("名称"), max_length=200)
    label_en = models.CharField(_("名称（English）"), max_length=200, blank=True)
    help_text = models.CharField(_("填写提示"), max_length=300, blank=True)
    help_text_en = models.CharField(_("填写提示（English）"), max_length=300, blank=True)
    required = models.BooleanField(_("必填"), default=True)
    public = models.BooleanField(_("公示时公开"), default=False, help_text=_("评选结果公示时显示这一项"))
    choices = models.TextField(_("选项"), blank=True, help_text=_("单选、多选：每行一项"))
    choices_en = models.TextField(_("选项（English）"), blank=True, help_text=_("与中文选项逐行对应"))
    columns = models.TextField(_("表格的列"), blank=True, help_text=_("表格：每行一列，如“姓名”“职务”“分工”"))
    columns_en = models.TextField(_("表格的列（English）"), blank=True, help_text=_("与中文逐行对应"))

    panels = [
        FieldRowPanel([FieldPanel("field_type"), FieldPanel("required"), FieldPanel("public")]),
        FieldRowPanel([FieldPanel("label"), FieldPanel("label_en")]),
        FieldRowPanel([FieldPanel("help_text"), FieldPanel("help_text_en")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("choices"), FieldPanel("choices_en")]),
                FieldRowPanel([FieldPanel("columns"), FieldPanel("columns_en")]),
            ],
            heading=_("选项与表格"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("字段")
        verbose_name_plural = _("字段")

    def __str__(self) -> str:
        return self.label

    def clean(self):
        super().clean()
        errors = {}
        for field_name, english_name, wanted in (
            ("choices", "choices_en", self.field_type in CHOICE_TYPES),
            ("columns", "columns_en", self.field_type == FieldType.TABLE),
        ):
            chinese, english = lines(getattr(self, field_name)), lines(getattr(self, english_name))
            if wanted and len(chinese) < (2 if field_name == "choices" else 1):
                errors[field_name] = (
                    _("单选和多选至少需要两个选项，每行一项。")
                    if field_name == "choices"
                    else _("表格至少需要一列，每行一列。")
                )
            elif english and len(english) != len(chinese):
                errors[english_name] = _("英文须与中文逐行对应：中文 %(zh)s 行，英文 %(en)s 行。") % {
                    "zh": len(chinese),
                    "en": len(english),
                }
        if errors:
            raise ValidationError(errors)

    def definition(self) -> dict:
        return {
            "key": self.key,
            "type": self.field_type,
            "label": self.label,
            "label_en": self.label_en,
            "help": self.help_text,
            "help_en": self.help_text_en,
            "required": self.required,
            "public": self.public,
            "choices": lines(self.choices) if self.field_type in CHOICE_TYPES else [],
            "choices_en": lines(self.choices_en) if self.field_type in CHOICE_TYPES else [],
            "columns": lines(self.columns) if self.field_type == FieldType.TABLE else [],
            "columns_en": lines(self.columns_en) if self.field_type == FieldType.TABLE else [],
        }


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

    def review_criteria(self) -> list[tuple[str, str, int, int]]:
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
        if self.organisation_id:
            return self.organisation.full_name
        member = getattr(self.applicant, "member", None)
        return member.full_name if member else (self.applicant.get_full_name() or self.applicant.email)

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
        if self.organisation_id and self.organisation.user.email not in addresses:
            addresses.append(self.organisation.user.email)
        return addresses

    @property
    def reference(self) -> str:
        """What the submitter and staff quote: the call's id and the submission's number."""
        return f"{self.call_id}-{self.number:04d}" if self.number else ""

    def review_criteria(self) -> list[tuple[str, str, int, int]]:
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
