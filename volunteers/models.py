"""Volunteers (志愿者): recruitment drives and their applications, teams, public-welfare campaigns
run in batches with activities of limited places, sign-ups with a waiting list, service hours and
the year's commendations."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from home.blocks import BaseStreamBlock
from members.enums import District
from portal import listing
from portal.search.index import SegmentedSearchField, page_search_fields
from portal.vetting.enums import Status
from portal.vetting.models import Submission

from .enums import HoursStatus, Qualification, QuestionKind, SignUpStatus

# Paths under /volunteer/ answered by the volunteers' own views ahead of the page tree (volunteers/urls.py).
RESERVED_SLUGS = {"my", "activities"}


def refuse_reserved_slug(page: Page, reserved: set[str]) -> None:
    """A page with one of these slugs would never be reached: say so in the editor."""
    if page.slug in reserved:
        raise ValidationError({"slug": _("“%(slug)s”已被网站功能占用，请换一个网址。") % {"slug": page.slug}})


# Teams --------------------------------------------------------------------------------------------


class Team(models.Model):
    """A standing group of volunteers (心理剧社, 反家暴志愿者联盟 …) that drives recruit into."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    description = models.TextField(_("简介"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("志愿者团队")
        verbose_name_plural = _("志愿者团队")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, verbose_name=_("团队"), on_delete=models.CASCADE, related_name="memberships")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="team_memberships"
    )
    joined_on = models.DateField(_("加入日期"), default=datetime.date.today)
    application = models.ForeignKey(
        "volunteers.VolunteerApplication",
        verbose_name=_("报名申请"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        ordering = ["team", "joined_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["team", "volunteer"], name="unique_team_member")]

    def __str__(self) -> str:
        return f"{self.team} · {self.volunteer}"


# Pages --------------------------------------------------------------------------------------------


class VolunteerIndexPage(Page):
    """The volunteer section (/volunteer/): drives open for applications, then campaigns."""

    intro = models.TextField(_("导语"), blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = page_search_fields(SegmentedSearchField("intro"))

    parent_page_types = ["home.HomePage"]
    subpage_types = ["volunteers.RecruitmentPage", "volunteers.CampaignPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("志愿服务栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # In English, drives and campaigns run in Chinese only are listed too, marked as such.
        children = listing.in_language(Page.objects.all(), self, children=True)
        today = timezone.localdate()
        drives = list(
            listing.visible(
                RecruitmentPage.objects.filter(pk__in=children.values("pk")).select_related("team")
            ).order_by("-deadline", "-pk")
        )
        # Drives still taking applications first, the closest deadline on top; then the closed ones.
        context["open_drives"] = sorted((drive for drive in drives if drive.is_open(today)), key=lambda d: d.deadline)
        context["closed_drives"] = [drive for drive in drives if not drive.is_open(today)]
        campaigns = listing.visible(CampaignPage.objects.filter(pk__in=children.values("pk"))).order_by(
            "-starts_on", "-batch_number", "-pk"
        )
        # Campaigns under their theme, the theme with the latest batch first, its batches in order (第1批, 第2批 …).
        themes: dict[str, list] = {}
        for campaign in campaigns:
            themes.setdefault(campaign.theme, []).append(campaign)
        context["campaign_themes"] = [
            {"theme": theme, "campaigns": sorted(batches, key=lambda c: (c.batch_number, c.starts_on, c.pk))}
            for theme, batches in themes.items()
        ]
        context["today"] = today
        return context


class RecruitmentPage(RoutablePageMixin, Page):
    """A recruitment drive (招募): what it is for, who may apply, how many places, until when, and
    the drive's own questions. Signed-in people apply once; coordinators screen in the admin."""

    team = models.ForeignKey(
        Team,
        verbose_name=_("志愿者团队"),
        on_delete=models.PROTECT,
        related_name="drives",
        help_text=_("录用的申请人加入这个团队"),
    )
    purpose = models.TextField(_("招募目的"), max_length=1000)
    requirements = models.TextField(_("报名条件"), max_length=2000)
    places = models.PositiveSmallIntegerField(_("招募名额"))
    deadline = models.DateField(_("报名截止"))
    body = StreamField(BaseStreamBlock(), verbose_name=_("详细说明"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("team"),
        FieldPanel("purpose"),
        FieldPanel("requirements"),
        FieldRowPanel([FieldPanel("places"), FieldPanel("deadline")]),
        FieldPanel("body"),
        InlinePanel("questions", label=_("报名问题"), heading=_("报名表中的问题")),
    ]
    search_fields = page_search_fields(
        SegmentedSearchField("purpose"),
        SegmentedSearchField("requirements"),
        SegmentedSearchField("body"),
        index.FilterField("deadline"),
    )

    parent_page_types = ["volunteers.VolunteerIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("志愿者招募")

    def clean(self):
        super().clean()
        refuse_reserved_slug(self, RESERVED_SLUGS)

    def is_open(self, today: datetime.date | None = None) -> bool:
        """Applications are taken up to and including the deadline."""
        return (today or timezone.localdate()) <= self.deadline

    @path("")
    def drive_route(self, request):
        from .views import drive_page

        return drive_page(request, self)

    @path("apply/")
    def apply_route(self, request):
        from .views import apply

        return apply(request, self)

    @path("apply/withdraw/")
    def withdraw_route(self, request):
        from .views import withdraw

        return withdraw(request, self)


class RecruitmentQuestion(TranslatableMixin, Orderable):
    """A question of a drive's application form, beyond name, phone and motivation (translated with
    its page: a 繁體 or English drive asks its questions in that language)."""

    page = ParentalKey(RecruitmentPage, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("问题"), max_length=200)
    help_text = models.CharField(_("说明"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    choices = models.TextField(_("选项"), blank=True, help_text=_("单项选择题的选项，每行一个"))
    required = models.BooleanField(_("必答"), default=True)

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("kind"), FieldPanel("required")]),
        FieldPanel("help_text"),
        FieldPanel("choices"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order", "pk"]

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class CampaignPage(RoutablePageMixin, Page):
    """A batch of a public-welfare campaign (爱心大使 公益行动): its theme, batch number, period,
    partner organisations, and the activities volunteers sign up for."""

    theme = models.CharField(_("行动主题"), max_length=100, help_text=_("例如：关注老年人抑郁孤独"))
    batch_number = models.PositiveSmallIntegerField(_("批次"), help_text=_("第几批"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    summary = models.TextField(_("简介"), max_length=500, blank=True, help_text=_("显示在列表中"))
    body = StreamField(BaseStreamBlock(), verbose_name=_("行动说明"), blank=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("承担团队"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
        help_text=_("要求“指定志愿者团队成员”的活动只接受这个团队的成员报名"),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("theme"), FieldPanel("batch_number")]),
                FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                FieldPanel("team"),
            ],
            heading=_("行动信息"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("partners", label=_("合作单位")),
    ]
    search_fields = page_search_fields(
        SegmentedSearchField("theme"),
        SegmentedSearchField("summary"),
        SegmentedSearchField("body"),
    )

    parent_page_types = ["volunteers.VolunteerIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("公益行动")

    def clean(self):
        super().clean()
        refuse_reserved_slug(self, RESERVED_SLUGS)

    def get_activities(self):
        """This batch's activities, whichever language the page is read in, with their counts."""
        return (
            Activity.objects.filter(campaign__translation_key=self.translation_key)
            .with_counts()
            .order_by("starts_at", "pk")
        )

    @path("")
    def campaign_route(self, request):
        from .views import campaign_page

        return campaign_page(request, self)


class CampaignPartner(TranslatableMixin, Orderable):
    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("单位名称"), max_length=100)
    role = models.CharField(_("合作方式"), max_length=100, blank=True, help_text=_("例如：主办、协办、场地支持"))
    url = models.URLField(_("网址"), blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("role")]), FieldPanel("url")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order", "pk"]


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
    hours_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hours_reviewed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
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
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
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
