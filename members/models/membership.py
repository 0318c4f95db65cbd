"""Membership: the types members join as, applications (on the review pipeline) and members."""

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Case, CharField, Exists, Q, Value, When
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from portal.districts import District
from portal.localization.display import in_reader_script
from portal.storage import private_storage  # also named here by the first migrations of aid, experts and members
from portal.vetting.models import Submission

from ..enums import MembershipKind, Qualification
from .accounts import User

if TYPE_CHECKING:
    from .dues import Standing


class MembershipType(models.Model):
    """个人会员, 团体会员, 分支机构 …: what a member joins as and pays yearly."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    name_en = models.CharField(
        _("名称（English）"), max_length=80, blank=True, help_text=_("英文页面显示的名称；留空则用通用译名")
    )
    kind = models.CharField(_("类别"), max_length=20, choices=MembershipKind.choices, default=MembershipKind.INDIVIDUAL)
    annual_fee = models.DecimalField(_("年度会费（元）"), max_digits=9, decimal_places=2)
    is_active = models.BooleanField(_("接受申请"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("会员类型")
        verbose_name_plural = _("会员类型")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's language: 繁體 converted; English as entered, else the catalogue's
        translation of the usual names (个人会员 …), else the Chinese name."""
        if (get_language() or "").startswith("en"):
            return self.name_en or gettext(self.name)
        return in_reader_script(self.name)

    @property
    def is_organisation(self) -> bool:
        return self.kind != MembershipKind.INDIVIDUAL


class MembershipApplication(Submission):
    """入会申请: filled in by a signed-in person, vetted by a membership officer."""

    applicant = models.ForeignKey(
        User, verbose_name=_("申请人账户"), on_delete=models.PROTECT, related_name="membership_applications"
    )
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    district = models.CharField(_("所在区市县"), max_length=20, choices=District.choices, blank=True)
    qualification = models.CharField(_("资质"), max_length=30, choices=Qualification.choices, blank=True)
    qualification_other = models.CharField(_("其他资质"), max_length=100, blank=True)
    certificate_number = models.CharField(_("证书编号"), max_length=50, blank=True)
    certificate_scan = models.FileField(
        _("证书扫描件"), upload_to="certificates/%Y/", storage=private_storage, blank=True
    )
    years_of_practice = models.PositiveSmallIntegerField(_("从业年限"), null=True, blank=True)
    membership_type = models.ForeignKey(
        MembershipType, verbose_name=_("会员类型"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation_name = models.CharField(_("单位名称"), max_length=100, blank=True)
    organisation_details = models.TextField(
        _("单位情况"), blank=True, help_text=_("团体会员、分支机构填写：单位性质、负责人、人数、主要业务")
    )
    charter_agreed = models.BooleanField(_("同意协会章程"), default=False)

    class Meta:
        verbose_name = _("入会申请")
        verbose_name_plural = _("入会申请")
        ordering = ["-submitted_at", "-pk"]
        permissions = [("decide_membershipapplication", _("可以审核入会申请"))]
        constraints = [
            # One application in progress per person: a double click or two tabs cannot open a second.
            models.UniqueConstraint(
                fields=["applicant"],
                condition=models.Q(status__in=["draft", "submitted", "returned"]),
                name="one_open_membership_application",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.applicant.email


class MemberQuerySet(models.QuerySet):
    """Members and their standing (正常, 宽限期, 已失效, 已退会), worked out inside the query from the dues
    years they owe (`DuesPeriod.objects.owed_by()`), whether or not an invoice was ever issued: no
    nightly job has to run for a payment or a deadline to count."""

    def with_standing(self, on: datetime.date | None = None) -> "MemberQuerySet":
        """Annotated with `standing_code` on `on`, today by default. In grace once the dues of a year
        they owe are past due and unpaid; lapsed once that year's grace is over."""
        from .dues import DuesPeriod, Standing

        on = on or timezone.localdate()
        unpaid = DuesPeriod.objects.owed_by().unpaid_by()
        return self.annotate(
            standing_code=Case(
                When(resigned_on__lte=on, then=Value(Standing.RESIGNED)),
                When(Exists(unpaid.filter(owed_grace_ends__lt=on)), then=Value(Standing.LAPSED)),
                When(Exists(unpaid.filter(owed_due__lt=on)), then=Value(Standing.GRACE)),
                default=Value(Standing.ACTIVE),
                output_field=CharField(),
            )
        )

    def in_good_standing(self, on: datetime.date | None = None) -> "MemberQuerySet":
        """Neither resigned nor lapsed on `on` (today by default): who may apply to the expert database
        or sign up as a volunteer."""
        from .dues import Standing

        return self.with_standing(on).exclude(standing_code__in=[Standing.LAPSED, Standing.RESIGNED])

    def organisations(self) -> "MemberQuerySet":
        """Institutional members and branches (团体会员, 分支机构)."""
        return self.exclude(membership_type__kind=MembershipKind.INDIVIDUAL)

    def acted_for_by(self, user) -> "MemberQuerySet":
        """The organisations `user` may act for: their own organisation account, or one that named
        them as a contact."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.organisations().filter(Q(user=user) | Q(contacts__user=user)).distinct()

    def owing(self, period) -> "MemberQuerySet":
        """Who owes `period`'s dues, paid or not (the rule is `DuesPeriod.objects.owed_by()`)."""
        from .dues import DuesPeriod

        return self.filter(Exists(DuesPeriod.objects.owed_by().filter(pk=period.pk)))


class Member(models.Model):
    """A member of the association, with the number they were admitted under."""

    user = models.OneToOneField(User, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="member")
    number = models.CharField(_("会员编号"), max_length=20, unique=True)
    membership_type = models.ForeignKey(
        MembershipType, verbose_name=_("会员类型"), on_delete=models.PROTECT, related_name="members"
    )
    full_name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    district = models.CharField(_("所在区市县"), max_length=20, choices=District.choices, blank=True)
    joined_on = models.DateField(_("入会日期"))
    resigned_on = models.DateField(_("退会日期"), null=True, blank=True)
    dues_reminders = models.BooleanField(_("接收会费提醒邮件"), default=True)
    # The public member directory: listed only if the member says so, with the fields they choose.
    directory_listed = models.BooleanField(_("在会员名录中公开"), default=False)
    directory_show_employer = models.BooleanField(_("公开工作单位"), default=True)
    directory_show_district = models.BooleanField(_("公开所在区市县"), default=True)
    directory_show_phone = models.BooleanField(_("公开手机号码"), default=False)
    directory_show_email = models.BooleanField(_("公开电子邮箱"), default=False)
    application = models.OneToOneField(
        MembershipApplication,
        verbose_name=_("入会申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member",
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("一人", "会员")
        verbose_name_plural = _("会员")
        ordering = ["number"]
        permissions = [("import_member", _("可以导入会员"))]

    def __str__(self) -> str:
        return f"{self.number} {self.full_name}"

    def standing(self, on: datetime.date | None = None) -> "Standing":
        """Where this member stands on `on` (today by default)."""
        from .dues import Standing

        return Standing(
            Member.objects.filter(pk=self.pk).with_standing(on).values_list("standing_code", flat=True).get()
        )

    def standing_label(self) -> str:
        """The standing for lists: from the `with_standing()` annotation, else worked out now."""
        from .dues import Standing

        code = getattr(self, "standing_code", None)
        return str(Standing(code).label if code else self.standing().label)

    standing_label.short_description = _("会籍状态")  # type: ignore[attr-defined]  # the column heading in listings


class OrganisationContact(models.Model):
    """A person an institutional member or branch names to act for it: to fill in and submit its
    reports and applications to calls. The organisation's own account keeps the list."""

    organisation = models.ForeignKey(Member, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(
        User, verbose_name=_("账户"), on_delete=models.CASCADE, related_name="organisation_contacts"
    )
    role = models.CharField(_("职务"), max_length=50, blank=True, help_text=_("如：秘书长、办公室主任"))
    added_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("单位联系人")
        verbose_name_plural = _("单位联系人")
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_contact_entry_per_person")]

    def __str__(self) -> str:
        return f"{self.organisation.full_name} · {self.user.email}"
