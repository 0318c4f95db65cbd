"""Cases and what hangs from them: the counsellors' pool, conflicts, assignments and renewals,
change requests, sessions and risk flags. See aid/models/__init__.py for what is sealed and why."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.enums import Qualification as CounsellorQualification
from portal.districts import District
from portal.fields import acted_at, acted_by
from portal.storage import private_storage

from .. import crypto
from ..crypto import SealedAccountField, SealedField
from ..enums import AssignmentStatus, CaseStatus, CloseReason, Mode, Risk
from .pages import AidProgrammePage


class Counsellor(models.Model):
    """A member volunteering as a counsellor for aid programmes, with how many cases they can carry."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="aid_counsellor"
    )
    programmes = models.ManyToManyField(AidProgrammePage, verbose_name=_("参与项目"), related_name="counsellors")
    qualification = models.CharField(_("资质"), max_length=30, choices=CounsellorQualification.choices)
    specialties = models.ManyToManyField(
        "experts.Specialty", verbose_name=_("擅长领域"), blank=True, related_name="aid_counsellors"
    )
    district = models.CharField(_("所在区市县"), max_length=20, choices=District.choices)
    modes = models.JSONField(_("可提供的方式"), default=list, help_text=_("电话、视频、面谈"))
    capacity = models.PositiveSmallIntegerField(_("最多同时负责"), default=3)
    is_active = models.BooleanField(_("接受分配"), default=True)
    joined_on = models.DateField(_("加入日期"), default=datetime.date.today)

    class Meta:
        verbose_name = _("援助咨询师")
        verbose_name_plural = _("援助咨询师")
        ordering = ["user__full_name", "pk"]

    def __str__(self) -> str:
        return self.user.full_name or self.user.email


class CaseQuerySet(models.QuerySet):
    def registered_by(self, user):
        """The cases `user` registered, found by the keyed hash of their account id."""
        if not user.is_authenticated:
            return self.none()
        return super().filter(registrant_key__in=crypto.account_keys(user.pk))

    def filter(self, *args, **kwargs):
        return super().filter(*args, **self._registrant_lookup(kwargs))

    def exclude(self, *args, **kwargs):
        return super().exclude(*args, **self._registrant_lookup(kwargs))

    @staticmethod
    def _registrant_lookup(kwargs: dict) -> dict:
        """`registrant=<user>` (or None) works as it did when the link was a foreign key."""
        if "registrant" not in kwargs:
            return kwargs
        kwargs = dict(kwargs)
        user = kwargs.pop("registrant")
        if user is None:
            kwargs["registrant_key__isnull"] = True
        else:
            kwargs["registrant_key__in"] = crypto.account_keys(user.pk)
        return kwargs

    def flagged(self):
        """Cases with a risk flag still waiting for its follow-up."""
        return self.filter(risk_flags__followed_up_at__isnull=True, risk_flags__isnull=False).distinct()

    def visible_to_counsellor(self, user):
        """The cases `user` is currently assigned to as counsellor."""
        return self.filter(assignments__counsellor__user=user, assignments__status=AssignmentStatus.ACTIVE)


class Case(models.Model):
    """One beneficiary's registration with a programme. The sealed fields are personal data."""

    programme = models.ForeignKey(
        AidProgrammePage, verbose_name=_("援助项目"), on_delete=models.PROTECT, related_name="cases"
    )
    number = models.CharField(_("案例编号"), max_length=30, unique=True)
    # The registrant's account, sealed (see `registrant`): the id, and its keyed hash for the lookup.
    registrant_token = SealedAccountField(_("登记账户"), blank=True, default="")
    registrant_key = models.CharField(
        _("登记账户散列"), max_length=64, null=True, blank=True, editable=False, db_index=True
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.WAITING, db_index=True
    )
    # In the clear: what matching and anonymous statistics need.
    needs = models.JSONField(_("需求类别"), default=list)
    preferred_mode = models.CharField(_("希望的方式"), max_length=20, choices=Mode.choices)
    district = models.CharField(_("所在区市县"), max_length=20, choices=District.choices)
    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now, db_index=True)
    consent_at = models.DateTimeField(_("同意处理敏感个人信息的时间"))
    consent_text = models.TextField(_("同意的内容"))
    closed_at = acted_at(_("结案时间"))
    close_reason = models.CharField(_("结案原因"), max_length=20, choices=CloseReason.choices, blank=True)
    closed_by = acted_by(_("结案人"), help_text=_("留空表示援助期满自动结案"))
    purged_at = models.DateTimeField(_("个人信息清除时间"), null=True, blank=True)
    # Sealed: personal data.
    full_name = SealedField(_("姓名"))
    phone = SealedField(_("手机号码"))
    workplace = SealedField(_("工作单位"))
    deployment = SealedField(_("驰援时间与地点"))
    needs_detail = SealedField(_("需求说明"), blank=True)
    preferred_times = SealedField(_("方便的时间"), blank=True)
    proof_name = SealedField(_("证明材料文件名"), blank=True)
    # The proof of deployment: its bytes are sealed before they reach the storage.
    proof = models.FileField(_("驰援证明"), upload_to="aid/proof/%Y/", storage=private_storage, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("援助案例")
        verbose_name_plural = _("援助案例")
        ordering = ["-registered_at", "-pk"]
        constraints = [
            # One open registration per person and programme: a double click registers once.
            models.UniqueConstraint(
                fields=["programme", "registrant_key"],
                condition=~Q(status="closed"),
                name="one_open_case_per_programme",
            )
        ]
        permissions = [("read_case", _("可以查看援助案例的个人信息和咨询记录"))]

    def __str__(self) -> str:
        return self.number

    @property
    def registrant(self):
        """The account that registered the case (for its e-mails and the person's own area), or None
        once unlinked: purged, or the account deleted."""
        if not hasattr(self, "_registrant"):
            account_id = crypto.plain(self.registrant_token)
            User = get_user_model()
            self._registrant = User.objects.filter(pk=int(account_id)).first() if account_id else None
        return self._registrant

    @registrant.setter
    def registrant(self, user) -> None:
        self._registrant = user
        self.registrant_token = str(user.pk) if user is not None else ""
        self.registrant_key = crypto.account_key(user.pk) if user is not None else None

    def is_registered_by(self, user) -> bool:
        if not (self.registrant_key and user.is_authenticated):
            return False
        return self.registrant_key in crypto.account_keys(user.pk)

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None

    def active_assignment(self):
        return self.assignments.filter(status=AssignmentStatus.ACTIVE).select_related("counsellor__user").first()


class Conflict(models.Model):
    """A counsellor who must not be assigned to a case (they know the beneficiary, work with them …)."""

    counsellor = models.ForeignKey(Counsellor, verbose_name=_("咨询师"), on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, verbose_name=_("案例"), on_delete=models.CASCADE, related_name="conflicts")
    note = models.CharField(_("说明"), max_length=200, blank=True)
    declared_by = acted_by(_("登记人"), blank=False)
    declared_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("利益冲突")
        verbose_name_plural = _("利益冲突")
        constraints = [models.UniqueConstraint(fields=["counsellor", "case"], name="one_conflict_per_pair")]

    def __str__(self) -> str:
        return f"{self.counsellor} ≠ {self.case}"


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=AssignmentStatus.ACTIVE)


class Assignment(models.Model):
    """A counsellor serving a case from `starts_on` for the programme's term, to `ends_on`."""

    case = models.ForeignKey(Case, verbose_name=_("案例"), on_delete=models.PROTECT, related_name="assignments")
    counsellor = models.ForeignKey(
        Counsellor, verbose_name=_("咨询师"), on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE, db_index=True
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), help_text=_("援助的最后一天：开始日期加援助期限的前一天"), db_index=True)
    assigned_by = acted_by(_("分配人"), blank=False)
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    end_note = models.CharField(_("结束说明"), max_length=300, blank=True)
    end_notice_sent_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("咨询师分配")
        verbose_name_plural = _("咨询师分配")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="active"), name="one_active_assignment_per_case"
            ),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="assignment_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.counsellor}"


class Renewal(models.Model):
    """A coordinator's extension of an assignment for another term, with the reason."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("分配"), on_delete=models.PROTECT, related_name="renewals"
    )
    previous_ends_on = models.DateField(_("原结束日期"))
    ends_on = models.DateField(_("新结束日期"))
    reason = models.TextField(_("续期理由"), max_length=1000)
    renewed_by = acted_by(_("续期人"), blank=False)
    renewed_at = models.DateTimeField(_("续期时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("续期记录")
        verbose_name_plural = _("续期记录")
        ordering = ["renewed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.assignment} → {self.ends_on}"


class ChangeRequest(models.Model):
    """A beneficiary's request for another counsellor."""

    case = models.ForeignKey(Case, verbose_name=_("案例"), on_delete=models.PROTECT, related_name="change_requests")
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("分配"), on_delete=models.PROTECT, related_name="change_requests"
    )
    reason = SealedField(_("原因"), blank=True)
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    resolved_at = acted_at(_("处理时间"))
    resolved_by = acted_by(_("处理人"), blank=False)

    class Meta:
        verbose_name = _("更换咨询师申请")
        verbose_name_plural = _("更换咨询师申请")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(resolved_at__isnull=True), name="one_open_change_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.requested_at:%Y-%m-%d}"


class SessionQuerySet(models.QuerySet):
    def by_month(self):
        """Anonymous figures per programme and month: sessions, minutes, people served."""
        from django.db.models.functions import TruncMonth

        return (
            self.annotate(month=TruncMonth("held_on"))
            .values("assignment__case__programme_id", "month")
            .annotate(
                sessions=Count("pk"),
                minutes=models.Sum("minutes"),
                people=Count("assignment__case", distinct=True),
            )
            .order_by("assignment__case__programme_id", "month")
        )


class Session(models.Model):
    """A counselling session logged by the counsellor. The notes are sealed."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("分配"), on_delete=models.PROTECT, related_name="sessions"
    )
    held_on = models.DateField(_("日期"), db_index=True)
    minutes = models.PositiveSmallIntegerField(_("时长（分钟）"))
    mode = models.CharField(_("方式"), max_length=20, choices=Mode.choices)
    notes = SealedField(_("咨询记录"), blank=True)
    recorded_by = acted_by(_("记录人"), blank=False)
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    # A form sent twice records one session.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("咨询记录")
        verbose_name_plural = _("咨询记录")
        ordering = ["-held_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(minutes__gt=0), name="session_has_duration")]

    def __str__(self) -> str:
        return f"{self.assignment.case} · {self.held_on}"


class RiskFlag(models.Model):
    """A high-risk alert on a case. It stays on the coordinators' flagged list until followed up."""

    case = models.ForeignKey(Case, verbose_name=_("案例"), on_delete=models.PROTECT, related_name="risk_flags")
    kinds = models.JSONField(_("风险类型"), default=list)
    note = SealedField(_("情况说明"))
    raised_by = acted_by(_("报告人"), blank=False)
    raised_at = models.DateTimeField(_("报告时间"), auto_now_add=True, db_index=True)
    follow_up = SealedField(_("跟进情况"), blank=True)
    followed_up_by = acted_by(_("跟进人"), blank=False)
    followed_up_at = acted_at(_("跟进时间"))

    class Meta:
        verbose_name = _("风险预警")
        verbose_name_plural = _("风险预警")
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} · {self.raised_at:%Y-%m-%d %H:%M}"

    def kind_labels(self) -> list[str]:
        return [str(Risk(kind).label) for kind in self.kinds if kind in Risk.values]
