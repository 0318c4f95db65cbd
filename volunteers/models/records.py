"""What volunteers do: applications to drives, activities of campaigns, sign-ups with places and
waiting lists, hours, and the year's commendations."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.districts import District
from portal.fields import acted_at, acted_by
from portal.vetting.enums import Status
from portal.vetting.models import Submission

from ..enums import HoursStatus, Qualification, SignUpStatus
from .pages import CampaignPage, RecruitmentPage

# Applications -------------------------------------------------------------------------------------


class VolunteerApplication(Submission):
    """An application to a recruitment drive: once per person and drive."""

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.SHORTLISTED, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN},
        Status.SHORTLISTED: {Status.APPROVED, Status.REJECTED, Status.WITHDRAWN},
        # Withdrawn before the deadline, an application may be sent again (still one per drive).
        Status.WITHDRAWN: {Status.SUBMITTED},
    }
    NEEDS_NOTE = {Status.REJECTED}

    drive = models.ForeignKey(
        RecruitmentPage, verbose_name=_("招募"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="volunteer_applications",
    )
    full_name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号码"), max_length=20)
    motivation = models.TextField(_("报名理由"), max_length=2000)
    # [{"question": label, "answer": text}, …]: the questions as the applicant read them.
    answers = models.JSONField(_("问题回答"), default=list, blank=True)

    class Meta:
        verbose_name = _("志愿者报名")
        verbose_name_plural = _("志愿者报名")
        ordering = ["-submitted_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["drive", "applicant"], name="one_application_per_drive")]

    def __str__(self) -> str:
        return f"{self.full_name} · {self.drive.title}"


# Activities and sign-ups --------------------------------------------------------------------------


class ActivityQuerySet(models.QuerySet):
    def with_counts(self):
        """Each activity with its confirmed and waiting sign-ups counted, in the same query."""
        return self.annotate(
            confirmed_count=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED), distinct=True),
            waiting_count=Count("signups", filter=Q(signups__status=SignUpStatus.WAITING), distinct=True),
        )

    def on_day(self, day: datetime.date):
        return self.filter(starts_at__date=day)


class Activity(models.Model):
    """One activity of a campaign batch, with a limited number of places."""

    campaign = models.ForeignKey(
        CampaignPage, verbose_name=_("公益行动"), on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField(_("活动名称"), max_length=150)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    district = models.CharField(_("所在区市县"), max_length=20, choices=District.choices)
    places = models.PositiveSmallIntegerField(_("名额"))
    qualification = models.CharField(
        _("报名条件"), max_length=20, choices=Qualification.choices, default=Qualification.OPEN
    )
    description = models.TextField(_("活动内容"), max_length=3000, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿活动")
        verbose_name_plural = _("志愿活动")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(condition=Q(places__gt=0), name="activity_has_places"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def hours(self) -> Decimal:
        """The activity's length in hours, the default for hours reported or recorded."""
        seconds = (self.ends_at - self.starts_at).total_seconds()
        return (Decimal(seconds) / 3600).quantize(Decimal("0.5"))

    def has_started(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    # Annotated by ActivityQuerySet.with_counts().
    confirmed_count: int

    def places_left(self) -> int:
        """Needs `confirmed_count` (ActivityQuerySet.with_counts)."""
        return max(self.places - self.confirmed_count, 0)


class SignUpQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=[SignUpStatus.CONFIRMED, SignUpStatus.WAITING])

    def approved_hours(self):
        return self.filter(hours_status=HoursStatus.APPROVED)

    def with_waiting_position(self):
        """Each sign-up with `position`: how many wait before it on its activity's list, itself included
        (1 for the first waiting), in the same query whatever the number of sign-ups."""
        ahead = (
            SignUp.objects.filter(activity_id=OuterRef("activity_id"), status=SignUpStatus.WAITING)
            .filter(
                Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lte=OuterRef("pk"))
            )
            .order_by()
            .values("activity_id")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(position=Subquery(ahead))

    def total_hours(self) -> Decimal:
        return self.approved_hours().aggregate(total=Sum("hours_approved"))["total"] or Decimal(0)


class SignUp(models.Model):
    """A volunteer's place on an activity, or on its waiting list, and the hours served there."""

    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="signups")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="signups"
    )
    status = models.CharField(_("状态"), max_length=20, choices=SignUpStatus.choices, db_index=True)
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    hours_status = models.CharField(
        _("服务时长状态"), max_length=20, choices=HoursStatus.choices, default=HoursStatus.NONE, db_index=True
    )
    hours_reported = models.DecimalField(_("填报时长（小时）"), max_digits=5, decimal_places=1, null=True, blank=True)
    hours_reported_at = models.DateTimeField(_("填报时间"), null=True, blank=True)
    hours_note = models.CharField(_("填报说明"), max_length=300, blank=True)
    hours_approved = models.DecimalField(_("确认时长（小时）"), max_digits=5, decimal_places=1, null=True, blank=True)
    hours_reviewed_by = acted_by(_("确认人"))
    hours_reviewed_at = acted_at(_("确认时间"))
    hours_review_note = models.CharField(_("确认说明"), max_length=300, blank=True)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        ordering = ["created_at", "pk"]
        constraints = [
            # One place or waiting-list entry per person and activity; a cancelled one may be followed by another.
            models.UniqueConstraint(
                fields=["activity", "volunteer"],
                condition=Q(status__in=["confirmed", "waiting"]),
                name="one_active_signup_per_activity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.activity}"


class Commendation(models.Model):
    """A commendation (表彰) of a volunteer for a year's service."""

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="commendations"
    )
    title = models.CharField(_("表彰名称"), max_length=50, default="优秀志愿者")
    hours = models.DecimalField(_("年度服务时长（小时）"), max_digits=7, decimal_places=1)
    citation = models.CharField(_("表彰说明"), max_length=300, blank=True)
    recorded_by = acted_by(_("登记人"), blank=False)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("志愿者表彰")
        verbose_name_plural = _("志愿者表彰")
        ordering = ["-year", "-hours", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "volunteer", "title"], name="one_commendation_per_title_and_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title} · {self.volunteer}"
