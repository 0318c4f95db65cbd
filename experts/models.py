"""The expert database (专家库): vocabulary, applications on the review pipeline, reviews, batches
published for a public notice period, objections, and the admitted experts the public can find."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from members.models import Member, User
from portal.districts import District
from portal.localization.conversion import to_traditional
from portal.storage import private_storage
from portal.vetting.enums import NoticeStatus, Status
from portal.vetting.models import Objection, PublicNotice, Review, Submission

from .enums import ExpertStatus

# Every status in which an application is still on its way (one at a time per person).
OPEN_STATUSES = [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.NOTICE]


class Term(models.Model):
    """A word of the directory's vocabulary, with its name in each of the site's languages."""

    name = models.CharField(_("名称（简体）"), max_length=50, unique=True)
    name_zh_hant = models.CharField(_("名称（繁體）"), max_length=50, blank=True, help_text=_("留空则由简体自动转换"))
    name_en = models.CharField(_("名称（English）"), max_length=80, blank=True)
    slug = models.SlugField(_("标识"), max_length=50, unique=True, help_text=_("用于网址，如 youth"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("可选用"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        if not self.name_zh_hant:
            self.name_zh_hant = to_traditional(self.name)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """The name in the language of the page being shown."""
        language = (get_language() or "").lower()
        if language == "zh-hant":
            return self.name_zh_hant or self.name
        if language.startswith("en"):
            return self.name_en or self.name
        return self.name


class Specialty(Term):
    class Meta(Term.Meta):
        verbose_name = _("专长领域")
        verbose_name_plural = _("专长领域")


class ServiceType(Term):
    class Meta(Term.Meta):
        verbose_name = _("服务类型")
        verbose_name_plural = _("服务类型")


class Language(Term):
    class Meta(Term.Meta):
        verbose_name = _("服务语言")
        verbose_name_plural = _("服务语言")


def photo_path(instance, filename: str) -> str:
    return f"experts/photos/{timezone.now():%Y}/{filename}"


class Profile(models.Model):
    """What an expert tells the public, and which of it they consent to show. An application,
    an admitted expert and a proposed change all carry the same fields."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    title = models.CharField(_("职称/职务"), max_length=100, blank=True)
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    district = models.CharField(_("所在区市县"), max_length=20, choices=District.choices, blank=True)
    specialties = models.ManyToManyField(Specialty, verbose_name=_("专长领域"), blank=True, related_name="%(class)ss")
    services = models.ManyToManyField(ServiceType, verbose_name=_("服务类型"), blank=True, related_name="%(class)ss")
    languages = models.ManyToManyField(Language, verbose_name=_("服务语言"), blank=True, related_name="%(class)ss")
    years_of_practice = models.PositiveSmallIntegerField(_("从业年限"), null=True, blank=True)
    training_hours = models.PositiveIntegerField(_("受训时数"), null=True, blank=True)
    supervision_hours = models.PositiveIntegerField(_("接受督导时数"), null=True, blank=True)
    projects = models.TextField(_("主持或参与的项目"), blank=True)
    publications = models.TextField(_("论著与发表"), blank=True)
    bio = models.TextField(_("个人简介"), blank=True, max_length=2000)
    photo = models.ImageField(_("照片"), upload_to=photo_path, storage=private_storage, blank=True)
    public_email = models.EmailField(_("公开联系邮箱"), blank=True)
    public_phone = models.CharField(_("公开联系电话"), max_length=20, blank=True)
    # Consent, field by field. Name and specialties are what the directory is for, agreed to as a whole.
    show_photo = models.BooleanField(_("公开照片"), default=False)
    show_title = models.BooleanField(_("公开职称/职务"), default=False)
    show_employer = models.BooleanField(_("公开工作单位"), default=False)
    show_district = models.BooleanField(_("公开所在区市县"), default=False)
    show_experience = models.BooleanField(_("公开从业年限与受训、督导时数"), default=False)
    show_services = models.BooleanField(_("公开服务类型"), default=False)
    show_languages = models.BooleanField(_("公开服务语言"), default=False)
    show_projects = models.BooleanField(_("公开项目与论著"), default=False)
    show_bio = models.BooleanField(_("公开个人简介"), default=False)
    show_contact = models.BooleanField(_("公开联系方式"), default=False)

    # Each consent and the fields it opens to the public.
    CONSENTS = {
        "show_photo": ("photo",),
        "show_title": ("title",),
        "show_employer": ("employer",),
        "show_district": ("district",),
        "show_experience": ("years_of_practice", "training_hours", "supervision_hours"),
        "show_services": ("services",),
        "show_languages": ("languages",),
        "show_projects": ("projects", "publications"),
        "show_bio": ("bio",),
        "show_contact": ("public_email", "public_phone"),
    }
    SCALAR_FIELDS = (
        "full_name",
        "title",
        "employer",
        "district",
        "years_of_practice",
        "training_hours",
        "supervision_hours",
        "projects",
        "publications",
        "bio",
        "public_email",
        "public_phone",
        *CONSENTS,
    )
    MANY_FIELDS = ("specialties", "services", "languages")

    class Meta:
        abstract = True

    def shows(self, field: str) -> bool:
        """Whether `field` may be shown publicly: consented to, or always public (name, specialties)."""
        for consent, fields in self.CONSENTS.items():
            if field in fields:
                return getattr(self, consent)
        return field in ("full_name", "specialties")


class ExpertApplication(Profile, Submission):
    """入库申请: a member in good standing applies, reviewers score it, a chair decides, and a batch
    announces it publicly before admission."""

    applicant = models.ForeignKey(
        User, verbose_name=_("申请人账户"), on_delete=models.PROTECT, related_name="expert_applications"
    )
    phone = models.CharField(_("手机号码"), max_length=20, blank=True, help_text=_("仅供协会联系，不公开"))
    notice_consent = models.BooleanField(
        _("同意公示"), default=False, help_text=_("同意在公示和入库名单中公布姓名、工作单位和专长领域")
    )
    batch = models.ForeignKey(
        "ExpertBatch",
        verbose_name=_("批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.SUBMITTED: {Status.APPROVED, Status.REJECTED, Status.RETURNED, Status.WITHDRAWN},
        Status.RETURNED: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.APPROVED: {Status.NOTICE, Status.WITHDRAWN},
        Status.NOTICE: {Status.ACCEPTED, Status.WITHDRAWN},
    }
    REVIEW_CRITERIA = (
        ("qualification", _("资质与受训")),
        ("experience", _("实践经验")),
        ("contribution", _("专业贡献")),
        ("ethics", _("职业伦理")),
    )

    class Meta:
        verbose_name = _("入库申请")
        verbose_name_plural = _("入库申请")
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            ("review_expertapplication", _("可以评审入库申请")),
            ("decide_expertapplication", _("可以决定入库申请（评审组长）")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="one_open_expert_application",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.applicant.email

    @staticmethod
    def reviews_required() -> int:
        return settings.EXPERT_REVIEWS_REQUIRED


class ExpertQualification(models.Model):
    """A qualification an applicant holds, with the certificate scan behind it (never public)."""

    application = models.ForeignKey(ExpertApplication, on_delete=models.CASCADE, related_name="qualifications")
    name = models.CharField(_("资质名称"), max_length=100)
    number = models.CharField(_("证书编号"), max_length=50, blank=True)
    issued_by = models.CharField(_("发证机构"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("取得年份"), null=True, blank=True)
    scan = models.FileField(_("证书扫描件"), upload_to="experts/certificates/%Y/", storage=private_storage)

    class Meta:
        verbose_name = _("资质证书")
        verbose_name_plural = _("资质证书")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ExpertReview(Review):
    submission = models.ForeignKey(
        ExpertApplication, verbose_name=_("入库申请"), on_delete=models.CASCADE, related_name="reviews"
    )

    class Meta:
        verbose_name = _("评审")
        verbose_name_plural = _("评审")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer", "round_of"], name="one_review_per_reviewer_and_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission} / {self.reviewer}"


_DIGITS = "零一二三四五六七八九"


def chinese_number(number: int) -> str:
    """第四批, 第十二批: batch numbers the way official notices write them."""
    if number < 10:
        return _DIGITS[number]
    if number < 20:
        return "十" + (_DIGITS[number % 10] if number % 10 else "")
    if number < 100:
        return _DIGITS[number // 10] + "十" + (_DIGITS[number % 10] if number % 10 else "")
    return str(number)


class ExpertBatch(PublicNotice):
    """第N批: approved applications announced together for a public notice period, then admitted."""

    number = models.PositiveSmallIntegerField(_("批次"), unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # The form that opened it: pressing 开设 twice opens one batch, not two.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
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
        verbose_name=_("入库名单通告"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("入库批次")
        verbose_name_plural = _("入库批次")
        ordering = ["-number"]
        permissions = [("publish_expertbatch", _("可以发布和结束入库批次"))]

    def __str__(self) -> str:
        # 第四批 in Chinese, as the association's notices write it; Batch 4 in English.
        chinese = (get_language() or "").startswith("zh")
        return str(_("第%(number)s批") % {"number": chinese_number(self.number) if chinese else self.number})

    @property
    def is_open(self) -> bool:
        return self.status == NoticeStatus.OPEN


class BatchObjection(Objection):
    batch = models.ForeignKey(ExpertBatch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey(
        ExpertApplication,
        verbose_name=_("所涉专家"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
        help_text=_("异议针对的拟入库专家；不针对具体人员可不选"),
    )
    # The form it was sent from: a double click or a resent form records one objection.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.batch} · {self.application or '—'} · {self.name}"


class ExpertQuerySet(models.QuerySet):
    def listed(self, on: datetime.date | None = None) -> ExpertQuerySet:
        """Admitted experts whose admission is still valid: what the public may find."""
        on = on or timezone.localdate()
        return self.filter(status=ExpertStatus.ADMITTED, admitted_on__lte=on, expires_on__gte=on)


class Expert(Profile):
    """An admitted expert: the public profile, which changes only when a reviewer approves a change."""

    user = models.OneToOneField(User, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="expert")
    member = models.ForeignKey(
        Member,
        verbose_name=pgettext_lazy("一人", "会员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    application = models.ForeignKey(
        ExpertApplication, verbose_name=_("入库申请"), on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(ExpertBatch, verbose_name=_("入库批次"), on_delete=models.PROTECT, related_name="experts")
    status = models.CharField(
        _("状态"), max_length=20, choices=ExpertStatus.choices, default=ExpertStatus.ADMITTED, db_index=True
    )
    admitted_on = models.DateField(_("入库日期"))
    expires_on = models.DateField(_("有效期至"), db_index=True)
    search_text = models.TextField(editable=False, blank=True)
    # The name in pinyin (李文静 → "li wen jing"): the directory lists experts alphabetically by it.
    sort_name = models.CharField(max_length=200, editable=False, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        verbose_name = _("入库专家")
        verbose_name_plural = _("入库专家")
        ordering = ["sort_name", "pk"]

    def __str__(self) -> str:
        return self.full_name

    def is_listed(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.status == ExpertStatus.ADMITTED and self.admitted_on <= on <= self.expires_on


class ProfileChange(Submission):
    """A change an expert proposes to their public profile; it goes live when a reviewer approves it."""

    expert = models.ForeignKey(Expert, verbose_name=_("专家"), on_delete=models.CASCADE, related_name="changes")
    applicant = models.ForeignKey(User, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(_("修改内容"), default=dict)
    photo = models.ImageField(_("新照片"), upload_to=photo_path, storage=private_storage, blank=True)

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.SUBMITTED: {Status.APPROVED, Status.REJECTED, Status.WITHDRAWN},
    }
    NEEDS_NOTE = {Status.REJECTED}

    class Meta:
        verbose_name = _("资料修改")
        verbose_name_plural = _("资料修改")
        ordering = ["-submitted_at", "-pk"]
        permissions = [("decide_profilechange", _("可以审核专家资料修改"))]
        constraints = [
            models.UniqueConstraint(
                fields=["expert"],
                condition=models.Q(status__in=[Status.DRAFT, Status.SUBMITTED]),
                name="one_open_profile_change",
            )
        ]

    def __str__(self) -> str:
        return str(self.expert)


class ExpertReminder(models.Model):
    """A re-certification reminder sent to an expert before their admission expires (once per offset)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="reminders")
    expires_on = models.DateField(_("有效期至"))
    days_before = models.SmallIntegerField(_("提前天数"))
    email = models.EmailField(_("收件人"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("复审提醒")
        verbose_name_plural = _("复审提醒")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "expires_on", "days_before"], name="one_expert_reminder_per_offset"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.days_before}"
