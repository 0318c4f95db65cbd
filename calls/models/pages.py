"""The call page (征集) and what staff define on it: categories and places, review criteria and
the fields of its form, each with its Chinese and English wording."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.models import Locale, Orderable

from notices.models import NoticePage
from portal.localization.display import in_reader_script
from portal.pagecache import cache_briefly, seconds_until_midnight
from portal.vetting import workdays

from ..enums import CallKind, CallState, Eligibility, FieldType, ProfileField

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
    grades = models.TextField(
        _("考评等次"),
        blank=True,
        help_text=_(
            "考评：每行一个等次，从高到低，如“优秀”“合格”“不合格”。决定时为每份材料评定等次，"
            "类别的名额只限最高等次，荣誉证书只颁发给最高等次"
        ),
    )
    grades_en = models.TextField(_("考评等次（English）"), blank=True, help_text=_("与中文等次逐行对应"))
    period = models.CharField(
        _("评选年度"),
        max_length=30,
        blank=True,
        help_text=_("如“2021年度”：写进公示、结果通告和荣誉证书，如“关于表彰2021年度先进集体和先进个人的决定”"),
    )

    call_panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("eligibility")]),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldPanel("nominee_years"),
        FieldPanel("instructions"),
        FieldPanel("instructions_en"),
        InlinePanel("categories", heading=_("类别与名额"), label=_("类别")),
        FieldRowPanel([FieldPanel("reviews_required"), FieldPanel("period")]),
        FieldRowPanel([FieldPanel("grades"), FieldPanel("grades_en")]),
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
    def grade_list(self) -> list[str]:
        """The grades of an evaluation, best first (none for other kinds)."""
        return lines(self.grades) if self.kind == CallKind.EVALUATION else []

    def grade_label(self, grade: str) -> str:
        """A grade as the reader reads it: its English line where there is one, else converted."""
        grades = self.grade_list
        english = lines(self.grades_en)
        index = grades.index(grade) if grade in grades else -1
        return in_language(grade, english[index] if 0 <= index < len(english) else "")

    @property
    def instructions_text(self) -> str:
        return in_language(self.instructions, self.instructions_en)

    def latest_form_version(self):
        """The newest version of the form submissions were made with (None before the first)."""
        return self.form_versions.order_by("-number").first()

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
    profile = models.CharField(
        _("机构名录字段"),
        max_length=20,
        choices=ProfileField.choices,
        blank=True,
        help_text=_("名录征集：名录按机构名称（单行文字）、所在区市县（单选）和服务项目（多选）检索和筛选"),
    )

    panels = [
        FieldRowPanel([FieldPanel("field_type"), FieldPanel("required"), FieldPanel("public")]),
        FieldPanel("profile"),
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
            "profile": self.profile,
            "choices": lines(self.choices) if self.field_type in CHOICE_TYPES else [],
            "choices_en": lines(self.choices_en) if self.field_type in CHOICE_TYPES else [],
            "columns": lines(self.columns) if self.field_type == FieldType.TABLE else [],
            "columns_en": lines(self.columns_en) if self.field_type == FieldType.TABLE else [],
        }
