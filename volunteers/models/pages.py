"""The volunteer section's pages: the index, recruitment drives (招募) with their questions, and
campaign batches (公益行动) with their partners."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from portal import listing
from portal.blocks import BaseStreamBlock
from portal.listing import refuse_reserved_slug
from portal.search.index import SegmentedSearchField, page_search_fields

from ..enums import QuestionKind
from .teams import Team

# Paths under /volunteer/ answered by the volunteers' own views ahead of the page tree (volunteers/urls.py).
RESERVED_SLUGS = {"my", "activities"}


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
        from ..views import drive_page

        return drive_page(request, self)

    @path("apply/")
    def apply_route(self, request):
        from ..views import apply

        return apply(request, self)

    @path("apply/withdraw/")
    def withdraw_route(self, request):
        from ..views import withdraw

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
        from .records import Activity  # records hang from the pages

        return (
            Activity.objects.filter(campaign__translation_key=self.translation_key)
            .with_counts()
            .order_by("starts_at", "pk")
        )

    @path("")
    def campaign_route(self, request):
        from ..views import campaign_page

        return campaign_page(request, self)


class CampaignPartner(TranslatableMixin, Orderable):
    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("单位名称"), max_length=100)
    role = models.CharField(_("合作方式"), max_length=100, blank=True, help_text=_("例如：主办、协办、场地支持"))
    url = models.URLField(_("网址"), blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("role")]), FieldPanel("url")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order", "pk"]
